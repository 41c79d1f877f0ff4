//! Argon2id password hashes (PHC strings with a random salt).

use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};

use crate::error::{Result, StorageError};

fn hasher() -> Argon2<'static> {
    Argon2::new(Algorithm::Argon2id, Version::V0x13, Params::default())
}

/// Hashes `password` with argon2id and a fresh random salt.
pub(crate) fn hash(password: &str) -> Result<String> {
    if password.is_empty() {
        return Err(StorageError::invalid("password", "must not be empty"));
    }
    let salt = SaltString::generate(&mut OsRng);
    hasher()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| StorageError::Password(e.to_string()))
}

/// Whether `password` matches the stored PHC string.
pub(crate) fn verify(password: &str, phc: &str) -> Result<bool> {
    let parsed = PasswordHash::new(phc).map_err(|e| StorageError::Corrupt(format!("password hash: {e}")))?;
    Ok(hasher().verify_password(password.as_bytes(), &parsed).is_ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hash_is_argon2id_and_verifies() {
        let h = hash("s3cret").unwrap();
        assert!(h.starts_with("$argon2id$"), "{h}");
        assert!(verify("s3cret", &h).unwrap());
        assert!(!verify("wrong", &h).unwrap());
        assert_ne!(h, hash("s3cret").unwrap(), "salts differ");
        assert!(hash("").is_err());
    }
}
