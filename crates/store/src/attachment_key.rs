//! Attachments encrypted at rest: the files kept on cases (signed consent forms, police
//! reports, medical certificates) are sealed with XChaCha20-Poly1305 under a 256-bit key from
//! the configuration before they reach the database, so neither the database nor a dump of it
//! holds them in clear. Each file gets a random 192-bit nonce, and its row id is the
//! associated data: a sealed file moved to another row does not open. A sealed value is
//! `enc1:` and the base64 of nonce ‖ ciphertext ‖ tag; a value without the prefix is a file
//! stored before a key was configured (read as it is; `karuna attachments encrypt` seals
//! those).

use chacha20poly1305::aead::{Aead, AeadCore, KeyInit, OsRng, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use std::sync::Arc;
use uuid::Uuid;

/// The prefix of a sealed value.
pub const SEALED: &str = "enc1:";
const NONCE_LEN: usize = 24;

/// The key attachments are sealed with (cheap to clone; never printed).
#[derive(Clone)]
pub struct AttachmentKey(Arc<XChaCha20Poly1305>);

impl std::fmt::Debug for AttachmentKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("AttachmentKey(…)")
    }
}

impl AttachmentKey {
    /// A key from its 64 hexadecimal digits (surrounding whitespace and `#` comment lines
    /// ignored, as in a key file).
    pub fn from_text(text: &str) -> Result<AttachmentKey, String> {
        let hex: String = text
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .collect();
        if hex.len() != 64 || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err("an attachment key is 64 hexadecimal digits (256 bits)".into());
        }
        let bytes: Vec<u8> = (0..32)
            .filter_map(|i| u8::from_str_radix(&hex[2 * i..2 * i + 2], 16).ok())
            .collect();
        XChaCha20Poly1305::new_from_slice(&bytes)
            .map(|c| AttachmentKey(Arc::new(c)))
            .map_err(|_| "an attachment key is 256 bits".to_string())
    }

    /// A new random key as 64 hexadecimal digits.
    pub fn generate_text() -> String {
        XChaCha20Poly1305::generate_key(&mut OsRng)
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect()
    }

    /// Seals a file's bytes for row `id`.
    pub fn seal(&self, id: Uuid, bytes: &[u8]) -> Result<String, String> {
        use base64::Engine;
        let nonce = XChaCha20Poly1305::generate_nonce(&mut OsRng);
        let sealed = self
            .0
            .encrypt(
                &nonce,
                Payload {
                    msg: bytes,
                    aad: id.as_bytes(),
                },
            )
            .map_err(|_| "sealing an attachment failed".to_string())?;
        let mut out = Vec::with_capacity(NONCE_LEN + sealed.len());
        out.extend_from_slice(&nonce);
        out.extend_from_slice(&sealed);
        Ok(format!(
            "{SEALED}{}",
            base64::engine::general_purpose::STANDARD.encode(out)
        ))
    }

    /// Opens a value `seal` made for row `id`; None when it was not made with this key for
    /// this row (or was altered).
    pub fn open(&self, id: Uuid, stored: &str) -> Option<Vec<u8>> {
        use base64::Engine;
        let raw = base64::engine::general_purpose::STANDARD
            .decode(stored.strip_prefix(SEALED)?)
            .ok()?;
        if raw.len() < NONCE_LEN {
            return None;
        }
        let (nonce, sealed) = raw.split_at(NONCE_LEN);
        self.0
            .decrypt(
                XNonce::from_slice(nonce),
                Payload {
                    msg: sealed,
                    aad: id.as_bytes(),
                },
            )
            .ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sealed_file_opens_only_with_its_key_and_row() {
        let key = AttachmentKey::from_text(&AttachmentKey::generate_text()).unwrap();
        let other = AttachmentKey::from_text(&AttachmentKey::generate_text()).unwrap();
        let id = Uuid::now_v7();
        let sealed = key.seal(id, b"%PDF-1.7 consent").unwrap();
        assert!(sealed.starts_with(SEALED));
        assert!(!sealed.contains("consent"));
        assert_eq!(
            key.open(id, &sealed).as_deref(),
            Some(&b"%PDF-1.7 consent"[..])
        );
        assert_eq!(other.open(id, &sealed), None);
        assert_eq!(
            key.open(Uuid::now_v7(), &sealed),
            None,
            "moved to another row"
        );
        assert_ne!(
            key.seal(id, b"x").unwrap(),
            key.seal(id, b"x").unwrap(),
            "fresh nonces"
        );
        let mut altered = sealed.clone();
        altered.pop();
        altered.push('A');
        assert_eq!(key.open(id, &altered), None);
    }

    #[test]
    fn a_key_is_64_hex_digits() {
        let text = format!("# made by karuna\n{}\n", AttachmentKey::generate_text());
        assert!(AttachmentKey::from_text(&text).is_ok());
        assert!(AttachmentKey::from_text("abcd").is_err());
        assert!(AttachmentKey::from_text(&"zz".repeat(32)).is_err());
        assert_eq!(
            format!("{:?}", AttachmentKey::from_text(&"ab".repeat(32)).unwrap()),
            "AttachmentKey(…)"
        );
    }
}
