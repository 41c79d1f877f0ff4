//! Sales lines in the binary `COPY` format: no text to format on this side or to parse on the
//! server's, numbers go as fixed-width big-endian integers.
//!
//! A stream is [`HEADER`], one tuple per line ([`push_line`]) and [`TRAILER`]. A tuple is the
//! field count (`i16`), then per field its length in bytes (`i32`, `-1` for NULL) and its bytes.
//! The field order and types are those of the staging table ([`STAGING_COLUMNS`]), and of the
//! columns [`LINE_COLUMNS`] of `sales_lines` (whose `store_id` is the transaction's store).

use crate::codec::LineRef;

/// The staging table's columns, in the order of the encoded fields.
pub(crate) const STAGING_COLUMNS: &str = "order_id text, line bigint, ts_micros bigint, local_day integer, \
     product_id text, customer_id text, quantity_milli bigint, amount bigint, cost bigint, category text, \
     id_kinds smallint";

/// The columns of `sales_lines` a direct `COPY` fills, in the order of the encoded fields.
pub(crate) const LINE_COLUMNS: &str = "order_id, line, ts_micros, local_day, product_id, customer_id, \
     quantity_milli, amount, cost, category, id_kinds";

/// Number of fields per tuple.
const FIELDS: i16 = 11;

/// Signature, flags (no OIDs) and header extension length (none).
pub(crate) const HEADER: &[u8] = b"PGCOPY\n\xff\r\n\0\0\0\0\0\0\0\0\0";

/// The end-of-data marker: a field count of -1.
pub(crate) const TRAILER: [u8; 2] = (-1i16).to_be_bytes();

fn push_text(buf: &mut Vec<u8>, value: Option<&str>) {
    match value {
        // A text longer than 2 GiB cannot be stored anyway; the server rejects the length.
        Some(s) => {
            buf.extend_from_slice(&i32::try_from(s.len()).unwrap_or(i32::MAX).to_be_bytes());
            buf.extend_from_slice(s.as_bytes());
        }
        None => buf.extend_from_slice(&(-1i32).to_be_bytes()),
    }
}

fn push_i64(buf: &mut Vec<u8>, value: Option<i64>) {
    match value {
        Some(v) => {
            buf.extend_from_slice(&8i32.to_be_bytes());
            buf.extend_from_slice(&v.to_be_bytes());
        }
        None => buf.extend_from_slice(&(-1i32).to_be_bytes()),
    }
}

/// Appends `line` as one tuple.
pub(crate) fn push_line(buf: &mut Vec<u8>, line: &LineRef<'_>) {
    buf.extend_from_slice(&FIELDS.to_be_bytes());
    push_text(buf, Some(line.order_id));
    push_i64(buf, Some(line.line));
    push_i64(buf, Some(line.ts_micros));
    buf.extend_from_slice(&4i32.to_be_bytes());
    buf.extend_from_slice(&line.local_day.to_be_bytes());
    push_text(buf, Some(line.product_id));
    push_text(buf, line.customer_id);
    push_i64(buf, Some(line.quantity_milli));
    push_i64(buf, Some(line.amount));
    push_i64(buf, line.cost);
    push_text(buf, line.category);
    buf.extend_from_slice(&2i32.to_be_bytes());
    buf.extend_from_slice(&line.id_kinds.to_be_bytes());
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn staging_and_line_columns_agree() {
        let names: Vec<&str> = STAGING_COLUMNS.split(',').map(|c| c.split_whitespace().next().unwrap_or("")).collect();
        let lines: Vec<&str> = LINE_COLUMNS.split(',').map(str::trim).collect();
        assert_eq!(names, lines);
        assert_eq!(lines.len(), FIELDS as usize);
    }

    #[test]
    fn header_is_the_signature_and_two_zero_words() {
        assert_eq!(HEADER.len(), 11 + 4 + 4);
        assert_eq!(&HEADER[..11], b"PGCOPY\n\xff\r\n\0");
        assert_eq!(TRAILER, [0xff, 0xff]);
    }

    #[test]
    fn a_line_is_encoded_field_by_field() {
        let line = LineRef {
            order_id: "o1",
            line: -2,
            ts_micros: 1,
            local_day: 19_000,
            product_id: "é",
            customer_id: None,
            quantity_milli: 1_500,
            amount: 250,
            cost: None,
            category: Some("fruit"),
            id_kinds: 3,
        };
        let mut buf = Vec::new();
        push_line(&mut buf, &line);
        let mut want = vec![0, 11];
        want.extend([0, 0, 0, 2, b'o', b'1']);
        want.extend([0, 0, 0, 8, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xfe]);
        want.extend([0, 0, 0, 8, 0, 0, 0, 0, 0, 0, 0, 1]);
        want.extend([0, 0, 0, 4, 0, 0, 0x4a, 0x38]);
        want.extend([0, 0, 0, 2, 0xc3, 0xa9]);
        want.extend([0xff, 0xff, 0xff, 0xff]);
        want.extend([0, 0, 0, 8, 0, 0, 0, 0, 0, 0, 0x05, 0xdc]);
        want.extend([0, 0, 0, 8, 0, 0, 0, 0, 0, 0, 0, 0xfa]);
        want.extend([0xff, 0xff, 0xff, 0xff]);
        want.extend([0, 0, 0, 5, b'f', b'r', b'u', b'i', b't']);
        want.extend([0, 0, 0, 2, 0, 3]);
        assert_eq!(buf, want);
    }
}
