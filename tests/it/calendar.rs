use chrono::NaiveDate;
use storelytics::calendar::{Comparison, Granularity, Period};

#[test]
fn comparison_periods_have_equal_length_or_shift_a_year() {
    let p = Period::new(NaiveDate::from_ymd_opt(2024, 5, 1).unwrap(), NaiveDate::from_ymd_opt(2024, 5, 14).unwrap())
        .unwrap();
    let prev = p.compared(Comparison::PreviousPeriod).unwrap();
    assert_eq!(prev.len_days(), p.len_days());
    assert_eq!(prev.end().succ_opt().unwrap(), p.start());
    let ly = p.compared(Comparison::SamePeriodLastYear).unwrap();
    assert_eq!(ly.start(), NaiveDate::from_ymd_opt(2023, 5, 1).unwrap());
    assert!(p.compared(Comparison::None).is_none());
    assert_eq!("week".parse::<Granularity>().unwrap(), Granularity::Week);
    assert!("fortnight".parse::<Granularity>().is_err());
}
