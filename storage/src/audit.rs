//! The tamper-evident audit log: one SHA-256 hash chain per store.
//!
//! Entry `n` of a store holds the hash of entry `n − 1` (`prev_hash`; 32 zero bytes for the
//! first) and its own hash over a canonical, length-prefixed encoding of (store, seq, time,
//! actor, action, detail, prev_hash). Changing, deleting or reordering an entry breaks the
//! chain; deleting the newest entries is caught by the stored chain head and, if the database
//! itself is rewritten, by a [`SignedHead`] kept outside (HMAC-SHA-256 with a secret key).
//! Retention moves old entries to `audit_archive` behind a checkpoint entry that records the
//! hash of the last archived entry, so the remaining chain still verifies.

use std::fmt;

use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::model::StoreId;

/// `prev_hash` of the first entry of a chain.
pub const GENESIS_HASH: [u8; 32] = [0; 32];

/// Action of the entries written by retention.
pub const CHECKPOINT_ACTION: &str = "audit.checkpoint";

/// An entry to append.
#[derive(Debug, Clone, PartialEq)]
pub struct NewAuditEntry {
    /// Who did it (user id, e-mail, `system`).
    pub actor: String,
    /// What was done, e.g. `sales.ingest`.
    pub action: String,
    /// Details as JSON (stored as its compact text).
    pub detail: serde_json::Value,
}

impl NewAuditEntry {
    /// An entry.
    pub fn new(actor: impl Into<String>, action: impl Into<String>, detail: serde_json::Value) -> Self {
        NewAuditEntry { actor: actor.into(), action: action.into(), detail }
    }
}

/// A stored audit entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct AuditEntry {
    /// Position in the store's chain, from 1.
    pub seq: i64,
    /// When it was appended, µs since the Unix epoch (never decreasing along the chain).
    pub at_micros: i64,
    /// Who.
    pub actor: String,
    /// What.
    pub action: String,
    /// Details (JSON text).
    pub detail: String,
    /// Hash of the previous entry.
    pub prev_hash: Vec<u8>,
    /// SHA-256 of this entry's canonical encoding.
    pub hash: Vec<u8>,
}

impl AuditEntry {
    /// The hash this entry should have.
    pub fn expected_hash(&self, store: StoreId) -> [u8; 32] {
        entry_hash(store, self.seq, self.at_micros, &self.actor, &self.action, &self.detail, &self.prev_hash)
    }
}

fn put(h: &mut Sha256, bytes: &[u8]) {
    h.update((bytes.len() as u64).to_be_bytes());
    h.update(bytes);
}

/// SHA-256 over the canonical encoding of an entry.
pub(crate) fn entry_hash(
    store: StoreId,
    seq: i64,
    at_micros: i64,
    actor: &str,
    action: &str,
    detail: &str,
    prev_hash: &[u8],
) -> [u8; 32] {
    let mut h = Sha256::new();
    h.update(b"storelytics.audit.v1\0");
    h.update(store.0.as_bytes());
    h.update(seq.to_be_bytes());
    h.update(at_micros.to_be_bytes());
    put(&mut h, actor.as_bytes());
    put(&mut h, action.as_bytes());
    put(&mut h, detail.as_bytes());
    put(&mut h, prev_hash);
    h.finalize().into()
}

/// The newest entry of a chain: its sequence number and hash.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChainHead {
    /// The store.
    pub store: StoreId,
    /// Sequence number of the newest entry (0 for an empty chain).
    pub seq: i64,
    /// Its hash.
    pub hash: Vec<u8>,
}

type HmacSha256 = Hmac<Sha256>;

fn head_mac(head: &ChainHead, key: &[u8]) -> HmacSha256 {
    // HMAC takes keys of every length, so the fallback is never used.
    let mut mac = <HmacSha256 as Mac>::new_from_slice(key)
        .unwrap_or_else(|_| <HmacSha256 as hmac::digest::KeyInit>::new(&Default::default()));
    mac.update(b"storelytics.audit.head.v1\0");
    mac.update(head.store.0.as_bytes());
    mac.update(&head.seq.to_be_bytes());
    mac.update(&(head.hash.len() as u64).to_be_bytes());
    mac.update(&head.hash);
    mac
}

impl ChainHead {
    /// Signs the head with HMAC-SHA-256 under `key`, for keeping outside the database.
    pub fn sign(&self, key: &[u8]) -> SignedHead {
        SignedHead { head: self.clone(), mac: head_mac(self, key).finalize().into_bytes().to_vec() }
    }
}

/// A chain head with its HMAC, exported to an outside copy (file, other system).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignedHead {
    /// The head.
    pub head: ChainHead,
    /// HMAC-SHA-256 of the head's canonical encoding.
    pub mac: Vec<u8>,
}

impl SignedHead {
    /// Whether the MAC is valid under `key` (constant-time comparison).
    pub fn is_authentic(&self, key: &[u8]) -> bool {
        head_mac(&self.head, key).verify_slice(&self.mac).is_ok()
    }
}

/// One thing wrong with a chain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ChainProblem {
    /// The entry's content does not match its hash (modified).
    HashMismatch {
        /// The entry.
        seq: i64,
    },
    /// The entry's `prev_hash` is not the previous entry's hash (deleted, reordered or inserted).
    BrokenLink {
        /// The entry.
        seq: i64,
    },
    /// Sequence numbers jump (entries deleted).
    SequenceGap {
        /// The expected number.
        expected: i64,
        /// The number found.
        found: i64,
    },
    /// The oldest entries are gone and no checkpoint accounts for them.
    MissingStart {
        /// The oldest remaining entry.
        first_seq: i64,
    },
    /// The stored chain head does not match the newest entry (newest entries deleted).
    HeadMismatch {
        /// Sequence number in the head row.
        head_seq: i64,
        /// Newest entry found.
        last_seq: i64,
    },
    /// The outside copy of the head is newer than the chain (truncated).
    Truncated {
        /// Sequence number of the outside copy.
        signed_seq: i64,
        /// Newest entry found.
        last_seq: i64,
    },
    /// The entry at the outside copy's position has another hash (history rewritten).
    Diverged {
        /// The position.
        seq: i64,
    },
    /// The outside copy's HMAC is not valid under the given key.
    BadSignature,
}

impl fmt::Display for ChainProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ChainProblem::HashMismatch { seq } => write!(f, "entry {seq} was modified (hash mismatch)"),
            ChainProblem::BrokenLink { seq } => write!(f, "entry {seq} does not link to its predecessor"),
            ChainProblem::SequenceGap { expected, found } => write!(f, "expected entry {expected}, found {found}"),
            ChainProblem::MissingStart { first_seq } => {
                write!(f, "entries before {first_seq} are missing and no checkpoint covers them")
            }
            ChainProblem::HeadMismatch { head_seq, last_seq } => {
                write!(f, "chain head says entry {head_seq}, newest entry is {last_seq}")
            }
            ChainProblem::Truncated { signed_seq, last_seq } => {
                write!(f, "the exported head has entry {signed_seq}, the chain ends at {last_seq}")
            }
            ChainProblem::Diverged { seq } => write!(f, "entry {seq} differs from the exported head"),
            ChainProblem::BadSignature => write!(f, "the exported head's HMAC is not valid"),
        }
    }
}

/// The result of verifying a store's chain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct VerifyReport {
    /// Entries checked (archived entries are not counted).
    pub entries: u64,
    /// Sequence number of the newest entry (0 if none).
    pub last_seq: i64,
    /// Everything found wrong; empty when the chain is intact.
    pub problems: Vec<ChainProblem>,
}

impl VerifyReport {
    /// Whether the chain is intact.
    pub fn is_valid(&self) -> bool {
        self.problems.is_empty()
    }
}

/// What retention did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct ArchiveReport {
    /// Entries moved to the archive.
    pub archived: u64,
    /// Sequence number of the checkpoint entry written (none when nothing was old enough).
    pub checkpoint_seq: Option<i64>,
}

/// Detail of a checkpoint entry.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct Checkpoint {
    pub(crate) archived_through: i64,
    pub(crate) hash: String,
}

pub(crate) fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Verifies `entries` (sorted by seq, as read) against each other, the stored head and an
/// optional outside copy of the head (already checked for authenticity).
pub(crate) fn verify(
    store: StoreId,
    entries: &[AuditEntry],
    stored_head: Option<(i64, Vec<u8>)>,
    outside: Option<&ChainHead>,
) -> VerifyReport {
    let mut problems = Vec::new();
    let first_seq = entries.first().map(|e| e.seq).unwrap_or(1);
    let mut prev: Vec<u8> = GENESIS_HASH.to_vec();
    if first_seq != 1 {
        let latest = entries
            .iter()
            .filter(|e| e.action == CHECKPOINT_ACTION)
            .filter_map(|e| serde_json::from_str::<Checkpoint>(&e.detail).ok())
            .max_by_key(|c| c.archived_through);
        match latest {
            Some(c) if c.archived_through == first_seq - 1 => {
                prev = entries.first().map(|e| e.prev_hash.clone()).unwrap_or_default();
                if hex(&prev) != c.hash {
                    problems.push(ChainProblem::BrokenLink { seq: first_seq });
                }
            }
            _ => problems.push(ChainProblem::MissingStart { first_seq }),
        }
    }
    let mut expected_seq = first_seq;
    for e in entries {
        if e.seq != expected_seq {
            problems.push(ChainProblem::SequenceGap { expected: expected_seq, found: e.seq });
        }
        if e.prev_hash != prev && !(e.seq == first_seq && first_seq != 1) {
            problems.push(ChainProblem::BrokenLink { seq: e.seq });
        }
        if e.expected_hash(store).as_slice() != e.hash.as_slice() {
            problems.push(ChainProblem::HashMismatch { seq: e.seq });
        }
        prev = e.hash.clone();
        expected_seq = e.seq + 1;
    }
    let last_seq = entries.last().map(|e| e.seq).unwrap_or(0);
    let last_hash = entries.last().map(|e| e.hash.clone()).unwrap_or_else(|| GENESIS_HASH.to_vec());
    if let Some((head_seq, head_hash)) = stored_head
        && (head_seq != last_seq || head_hash != last_hash)
    {
        problems.push(ChainProblem::HeadMismatch { head_seq, last_seq });
    }
    if let Some(o) = outside {
        if o.seq > last_seq {
            problems.push(ChainProblem::Truncated { signed_seq: o.seq, last_seq });
        } else if let Some(e) = entries.iter().find(|e| e.seq == o.seq) {
            if e.hash != o.hash {
                problems.push(ChainProblem::Diverged { seq: o.seq });
            }
        } else if o.seq >= first_seq {
            problems.push(ChainProblem::Truncated { signed_seq: o.seq, last_seq });
        }
    }
    VerifyReport { entries: entries.len() as u64, last_seq, problems }
}

#[cfg(test)]
mod tests {
    use super::*;
    use uuid::Uuid;

    fn chain(store: StoreId, n: i64) -> Vec<AuditEntry> {
        let mut prev = GENESIS_HASH.to_vec();
        (1..=n)
            .map(|seq| {
                let detail = format!("{{\"n\":{seq}}}");
                let hash = entry_hash(store, seq, seq * 10, "alice", "x", &detail, &prev).to_vec();
                let e = AuditEntry {
                    seq,
                    at_micros: seq * 10,
                    actor: "alice".into(),
                    action: "x".into(),
                    detail,
                    prev_hash: prev.clone(),
                    hash,
                };
                prev = e.hash.clone();
                e
            })
            .collect()
    }

    #[test]
    fn intact_chain_verifies_and_tampering_is_found() {
        let s = StoreId(Uuid::from_u128(7));
        let c = chain(s, 5);
        let head = (5, c[4].hash.clone());
        assert!(verify(s, &c, Some(head.clone()), None).is_valid());

        let mut m = c.clone();
        m[2].detail = "{\"n\":99}".into();
        assert!(verify(s, &m, Some(head.clone()), None).problems.contains(&ChainProblem::HashMismatch { seq: 3 }));

        let mut d = c.clone();
        d.remove(2);
        assert!(!verify(s, &d, Some(head.clone()), None).is_valid());

        // The same chain under another store does not verify (store is inside the hash).
        assert!(!verify(StoreId(Uuid::from_u128(8)), &c, Some(head), None).is_valid());
    }

    #[test]
    fn signed_head_detects_truncation_and_forgery() {
        let s = StoreId(Uuid::from_u128(7));
        let c = chain(s, 5);
        let signed = ChainHead { store: s, seq: 5, hash: c[4].hash.clone() }.sign(b"key");
        assert!(signed.is_authentic(b"key"));
        assert!(!signed.is_authentic(b"other key"));
        let mut forged = signed.clone();
        forged.head.seq = 3;
        assert!(!forged.is_authentic(b"key"));
        let truncated = &c[..3];
        let r = verify(s, truncated, Some((3, c[2].hash.clone())), Some(&signed.head));
        assert_eq!(r.problems, vec![ChainProblem::Truncated { signed_seq: 5, last_seq: 3 }]);
    }
}
