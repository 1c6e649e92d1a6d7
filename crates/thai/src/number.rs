//! Numbers as a Thai reader expects them: digits grouped by thousands with commas (9,000;
//! 1,250.50), a whole number without a trailing ".0", amounts of money from satang (integer
//! hundredths of a baht) without ever passing through a float. Pure text work, no locale data.

/// Groups the digits of a decimal number written in ASCII (`-1234567.5` → `-1,234,567.5`);
/// a fractional part of zeros is dropped (`9000.0` → `9,000`). Text that is not a plain
/// decimal number is returned unchanged.
pub fn group(text: &str) -> String {
    let t = text.trim();
    let (sign, rest) = match t.strip_prefix('-') {
        Some(r) => ("-", r),
        None => ("", t),
    };
    let (int, frac) = match rest.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (rest, None),
    };
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if !digits(int) || frac.is_some_and(|f| !digits(f)) {
        return text.to_string();
    }
    let mut out = String::with_capacity(t.len() + t.len() / 3);
    out.push_str(sign);
    let n = int.len();
    for (i, ch) in int.chars().enumerate() {
        if i > 0 && (n - i) % 3 == 0 {
            out.push(',');
        }
        out.push(ch);
    }
    if let Some(f) = frac.filter(|f| f.bytes().any(|b| b != b'0')) {
        out.push('.');
        out.push_str(f);
    }
    out
}

/// An integer with its thousands grouped.
pub fn group_int(n: i64) -> String {
    group(&n.to_string())
}

/// An amount of money given in satang, in baht with two decimals when there are satang
/// (`900000` → `9,000`; `125050` → `1,250.50`).
pub fn baht(satang: i64) -> String {
    let sign = if satang < 0 { "-" } else { "" };
    let abs = satang.unsigned_abs();
    let (whole, part) = (abs / 100, abs % 100);
    let whole = group(&whole.to_string());
    if part == 0 {
        format!("{sign}{whole}")
    } else {
        format!("{sign}{whole}.{part:02}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_thousands_and_drops_a_zero_fraction() {
        assert_eq!(group("9000.0"), "9,000");
        assert_eq!(group("9000"), "9,000");
        assert_eq!(group("999"), "999");
        assert_eq!(group("1234567.25"), "1,234,567.25");
        assert_eq!(group("-1000"), "-1,000");
        assert_eq!(group("0"), "0");
        assert_eq!(group("12a"), "12a");
        assert_eq!(group(""), "");
        assert_eq!(group_int(1_000_000), "1,000,000");
    }

    #[test]
    fn money_comes_from_satang() {
        assert_eq!(baht(900_000), "9,000");
        assert_eq!(baht(125_050), "1,250.50");
        assert_eq!(baht(5), "0.05");
        assert_eq!(baht(-100), "-1");
    }
}
