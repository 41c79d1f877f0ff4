//! Store-local calendar days from UTC instants, in the store's IANA time zone.

use chrono::{NaiveTime, Offset, TimeZone};
use chrono_tz::Tz;

use crate::calendar::date_of;
use crate::error::{Error, Result};

const MICROS_PER_SEC: i64 = 1_000_000;
const SLOT_MICROS: i64 = 60 * 60 * MICROS_PER_SEC;

/// Parses an IANA zone name for `store_id`.
pub(crate) fn parse_zone(store_id: &str, name: &str) -> Result<Tz> {
    name.parse::<Tz>()
        .map_err(|_| Error::UnknownTimeZone { store_id: store_id.to_string(), time_zone: name.to_string() })
}

/// UTC offset in seconds of `tz` at the instant `micros`.
fn offset_secs(tz: Tz, micros: i64) -> i64 {
    let secs = micros.div_euclid(MICROS_PER_SEC);
    match chrono::DateTime::from_timestamp(secs, 0) {
        Some(dt) => tz.offset_from_utc_datetime(&dt.naive_utc()).fix().local_minus_utc() as i64,
        None => 0,
    }
}

/// Local day number of each instant. Offsets are looked up once per hour of UTC time and
/// checked at both ends of the hour; an hour that contains a transition is resolved per
/// instant, so the result is exact for every zone (no zone changes its offset twice within
/// an hour).
pub(crate) fn local_days(tz: Tz, micros: &[i64], out: &mut [i32]) {
    let mut slot = i64::MIN;
    let mut slot_offset: Option<i64> = None;
    for (ts, day) in micros.iter().zip(out.iter_mut()) {
        let s = ts.div_euclid(SLOT_MICROS);
        if s != slot {
            slot = s;
            let a = offset_secs(tz, s * SLOT_MICROS);
            let b = offset_secs(tz, s * SLOT_MICROS + SLOT_MICROS - 1);
            slot_offset = (a == b).then_some(a);
        }
        let off = slot_offset.unwrap_or_else(|| offset_secs(tz, *ts));
        let local = ts.div_euclid(MICROS_PER_SEC) + off;
        *day = local.div_euclid(86_400).clamp(i32::MIN as i64, i32::MAX as i64) as i32;
    }
}

/// The UTC instant (µs) of the first moment of local day `day` in `tz` (midnight, or the end
/// of a gap when a transition skips midnight).
pub(crate) fn local_midnight_micros(tz: Tz, day: i32) -> i64 {
    let date = date_of(day);
    let mut t = date.and_time(NaiveTime::MIN);
    for _ in 0..4 {
        if let Some(dt) = tz.from_local_datetime(&t).earliest() {
            return dt.timestamp_micros();
        }
        t += chrono::Duration::minutes(30);
    }
    t.and_utc().timestamp_micros()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calendar::day_number;
    use chrono::NaiveDate;

    #[test]
    fn dst_days_are_one_local_day() {
        let tz: Tz = "Europe/Berlin".parse().unwrap();
        // 2024-03-31 is 23 hours long in Berlin, 2024-10-27 is 25 hours long.
        for (y, m, d, hours) in [(2024, 3, 31, 23), (2024, 10, 27, 25)] {
            let date = NaiveDate::from_ymd_opt(y, m, d).unwrap();
            let start = local_midnight_micros(tz, day_number(date));
            let next = local_midnight_micros(tz, day_number(date) + 1);
            assert_eq!((next - start) / 3_600_000_000, hours);
            let ts: Vec<i64> = (0..hours).map(|h| start + h * 3_600_000_000 + 1).collect();
            let mut days = vec![0; ts.len()];
            local_days(tz, &ts, &mut days);
            assert!(days.iter().all(|&x| x == day_number(date)), "{days:?}");
            let mut after = [0];
            local_days(tz, &[next], &mut after);
            assert_eq!(after[0], day_number(date) + 1);
        }
    }

    #[test]
    fn half_hour_zone() {
        let tz: Tz = "Asia/Kolkata".parse().unwrap();
        // 18:29:59 UTC is 23:59:59 local; 18:30:00 UTC is the next local day.
        let base = NaiveDate::from_ymd_opt(2024, 1, 1).unwrap().and_hms_opt(18, 29, 59).unwrap().and_utc();
        let ts = [base.timestamp_micros(), base.timestamp_micros() + 1_000_000];
        let mut days = [0; 2];
        local_days(tz, &ts, &mut days);
        assert_eq!(days[1] - days[0], 1);
    }
}
