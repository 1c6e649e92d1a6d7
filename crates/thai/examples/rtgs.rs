//! Prints the normalised form, phonetic key, RTGS and sound key of each argument.
fn main() {
    use karuna_thai::matching::*;
    for a in std::env::args().skip(1) {
        println!(
            "{a}\t{}\t{}\t{}\t{}",
            normalize_name(&a),
            phonetic_key(&a),
            romanize(&a),
            sound_key(&a)
        );
    }
}
