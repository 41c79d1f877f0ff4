//! The audit-chain SQL shared by both backends (see [`crate::common`]).

macro_rules! audit_impl {
    ($backend:ty, $row:ty, $head_sql:literal) => {
        use $crate::audit::{self, CHECKPOINT_ACTION, Checkpoint};
        use $crate::common::now_micros;

        /// Decodes a row into a record whose fields are named like the row's columns.
        fn decoded<T: for<'r> sqlx::FromRow<'r, $row>>(row: &$row) -> Result<T> {
            Ok(T::from_row(row)?)
        }

        impl $backend {
            /// Appends an audit entry inside `tx`, which holds the store's write lock.
            async fn append_in(tx: &mut Tx, store: StoreId, entry: &NewAuditEntry) -> Result<AuditEntry> {
                let head = sqlx::query($head_sql)
                    .bind(store.0)
                    .fetch_optional(&mut **tx)
                    .await?
                    .ok_or_else(|| StorageError::not_found("store"))?;
                let last_seq: i64 = head.try_get("seq")?;
                let prev_hash: Vec<u8> = head.try_get("hash")?;
                let last_at: i64 = head.try_get("at_micros")?;
                let seq = last_seq + 1;
                let at_micros = now_micros().max(last_at);
                let detail = entry.detail.to_string();
                let hash =
                    audit::entry_hash(store, seq, at_micros, &entry.actor, &entry.action, &detail, &prev_hash).to_vec();
                sqlx::query(
                    "INSERT INTO audit_log (store_id, seq, at_micros, actor, action, detail, prev_hash, hash) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
                )
                .bind(store.0)
                .bind(seq)
                .bind(at_micros)
                .bind(&entry.actor)
                .bind(&entry.action)
                .bind(&detail)
                .bind(&prev_hash)
                .bind(&hash)
                .execute(&mut **tx)
                .await?;
                sqlx::query("UPDATE audit_heads SET seq = $2, hash = $3, at_micros = $4 WHERE store_id = $1")
                    .bind(store.0)
                    .bind(seq)
                    .bind(&hash)
                    .bind(at_micros)
                    .execute(&mut **tx)
                    .await?;
                Ok(AuditEntry {
                    seq,
                    at_micros,
                    actor: entry.actor.clone(),
                    action: entry.action.clone(),
                    detail,
                    prev_hash,
                    hash,
                })
            }

            async fn audit_in(tx: &mut Tx, store: StoreId, action: &str, detail: serde_json::Value) -> Result<()> {
                Self::append_in(tx, store, &NewAuditEntry::new("system", action, detail)).await.map(|_| ())
            }

            async fn append_audit_impl(&self, store: StoreId, entry: &NewAuditEntry) -> Result<AuditEntry> {
                if entry.action == CHECKPOINT_ACTION {
                    return Err(StorageError::invalid("action", "checkpoints are written by retention only"));
                }
                let mut tx = self.locked_tx(store).await?;
                let e = Self::append_in(&mut tx, store, entry).await?;
                tx.commit().await?;
                Ok(e)
            }

            async fn audit_entries_impl(&self, store: StoreId) -> Result<Vec<AuditEntry>> {
                let mut tx = self.tenant_tx(store).await?;
                let rows = sqlx::query("SELECT * FROM audit_log WHERE store_id = $1 ORDER BY seq")
                    .bind(store.0)
                    .fetch_all(&mut *tx)
                    .await?;
                tx.commit().await?;
                rows.iter().map(decoded).collect()
            }

            async fn audit_head_impl(&self, store: StoreId) -> Result<ChainHead> {
                let mut tx = self.tenant_tx(store).await?;
                let row = sqlx::query("SELECT seq, hash FROM audit_heads WHERE store_id = $1")
                    .bind(store.0)
                    .fetch_optional(&mut *tx)
                    .await?
                    .ok_or_else(|| StorageError::not_found("store"))?;
                tx.commit().await?;
                Ok(ChainHead { store, seq: row.try_get("seq")?, hash: row.try_get("hash")? })
            }

            async fn verify_audit_impl(
                &self,
                store: StoreId,
                outside: Option<(&SignedHead, &[u8])>,
            ) -> Result<VerifyReport> {
                let mut tx = self.tenant_tx(store).await?;
                let rows = sqlx::query("SELECT * FROM audit_log WHERE store_id = $1 ORDER BY seq")
                    .bind(store.0)
                    .fetch_all(&mut *tx)
                    .await?;
                let head = sqlx::query("SELECT seq, hash FROM audit_heads WHERE store_id = $1")
                    .bind(store.0)
                    .fetch_optional(&mut *tx)
                    .await?;
                tx.commit().await?;
                let entries = rows.iter().map(decoded).collect::<Result<Vec<AuditEntry>>>()?;
                let head = match head {
                    Some(h) => Some((h.try_get::<i64, _>("seq")?, h.try_get::<Vec<u8>, _>("hash")?)),
                    None => None,
                };
                let mut bad_signature = false;
                let outside_head = match outside {
                    Some((signed, key)) if signed.is_authentic(key) && signed.head.store == store => Some(&signed.head),
                    Some(_) => {
                        bad_signature = true;
                        None
                    }
                    None => None,
                };
                let mut report = audit::verify(store, &entries, head, outside_head);
                if bad_signature {
                    report.problems.push(audit::ChainProblem::BadSignature);
                }
                Ok(report)
            }

            async fn archive_audit_impl(&self, store: StoreId, days: u32) -> Result<ArchiveReport> {
                let cutoff = now_micros().saturating_sub(i64::from(days) * 86_400_000_000);
                let mut tx = self.locked_tx(store).await?;
                let last: Option<i64> =
                    sqlx::query("SELECT MAX(seq) AS k FROM audit_log WHERE store_id = $1 AND at_micros < $2")
                        .bind(store.0)
                        .bind(cutoff)
                        .fetch_one(&mut *tx)
                        .await?
                        .try_get("k")?;
                let Some(k) = last else {
                    tx.commit().await?;
                    return Ok(ArchiveReport { archived: 0, checkpoint_seq: None });
                };
                let hash: Vec<u8> = sqlx::query("SELECT hash FROM audit_log WHERE store_id = $1 AND seq = $2")
                    .bind(store.0)
                    .bind(k)
                    .fetch_one(&mut *tx)
                    .await?
                    .try_get("hash")?;
                let checkpoint = Checkpoint { archived_through: k, hash: audit::hex(&hash) };
                let detail =
                    serde_json::to_value(&checkpoint).map_err(|e| StorageError::Corrupt(format!("checkpoint: {e}")))?;
                let entry =
                    Self::append_in(&mut tx, store, &NewAuditEntry::new("system", CHECKPOINT_ACTION, detail)).await?;
                sqlx::query(
                    "INSERT INTO audit_archive (store_id, seq, at_micros, actor, action, detail, prev_hash, hash) \
                     SELECT store_id, seq, at_micros, actor, action, detail, prev_hash, hash FROM audit_log \
                     WHERE store_id = $1 AND seq <= $2",
                )
                .bind(store.0)
                .bind(k)
                .execute(&mut *tx)
                .await?;
                let archived = sqlx::query("DELETE FROM audit_log WHERE store_id = $1 AND seq <= $2")
                    .bind(store.0)
                    .bind(k)
                    .execute(&mut *tx)
                    .await?
                    .rows_affected();
                tx.commit().await?;
                Ok(ArchiveReport { archived, checkpoint_seq: Some(entry.seq) })
            }
        }
    };
}

pub(crate) use audit_impl;
