//! Dates in the reader's language and in the event's time zone, through the browser's
//! `Intl` (no time-zone database shipped in the WASM).

use js_sys::{Array, Date, Function, Object, Reflect};
use time::OffsetDateTime;
use wasm_bindgen::{JsCast, JsValue};

/// How much of a date range to show.
#[derive(Clone, Copy)]
pub enum Detail {
    /// "5–6 December 2026".
    Days,
    /// "5 December 2026, 09:00 – 6 December 2026, 18:00".
    DaysAndTimes,
}

/// Formats `start`–`end` for `locale`, as seen in `timezone` (an IANA name). Falls back to
/// the reader's own zone if the browser does not know that zone, and to ISO dates if `Intl`
/// is missing altogether.
pub fn date_range(
    start: OffsetDateTime,
    end: OffsetDateTime,
    locale: &str,
    timezone: &str,
    detail: Detail,
) -> String {
    formatter(locale, Some(timezone), detail)
        .or_else(|| formatter(locale, None, detail))
        .and_then(|f| format_range(&f, start, end))
        .unwrap_or_else(|| format!("{} – {}", start.date(), end.date()))
}

fn formatter(locale: &str, timezone: Option<&str>, detail: Detail) -> Option<Object> {
    let intl = Reflect::get(&js_sys::global(), &"Intl".into()).ok()?;
    let ctor: Function = Reflect::get(&intl, &"DateTimeFormat".into()).ok()?.dyn_into().ok()?;
    let options = Object::new();
    let set = |k: &str, v: &str| Reflect::set(&options, &k.into(), &v.into()).ok();
    set("dateStyle", "long")?;
    if let Detail::DaysAndTimes = detail {
        set("timeStyle", "short")?;
    }
    if let Some(zone) = timezone {
        set("timeZone", zone)?;
    }
    let args = Array::of2(&JsValue::from_str(locale), &options);
    // An unknown zone throws a RangeError: `construct` turns it into an `Err`.
    Reflect::construct(&ctor, &args).ok()?.dyn_into().ok()
}

fn format_range(formatter: &Object, start: OffsetDateTime, end: OffsetDateTime) -> Option<String> {
    let (start, end) = (js_date(start), js_date(end));
    let range: Function = Reflect::get(formatter, &"formatRange".into()).ok()?.dyn_into().ok()?;
    range.call2(formatter, &start, &end).ok()?.as_string()
}

fn js_date(at: OffsetDateTime) -> Date {
    let millis = at.unix_timestamp_nanos() / 1_000_000;
    Date::new(&JsValue::from_f64(millis as f64))
}

/// The wall-clock time of `at` in `timezone`, as an `<input type="datetime-local">` value
/// (`2026-12-05T09:00`). `None` if the browser does not know the zone.
pub fn to_wall_clock(at: OffsetDateTime, timezone: &str) -> Option<String> {
    let wall = wall_of(at, timezone)?;
    Some(format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}",
        wall.year(),
        u8::from(wall.month()),
        wall.day(),
        wall.hour(),
        wall.minute()
    ))
}

/// The instant shown as `wall` (`2026-12-05T09:00`) on the clocks of `timezone`. Around a
/// daylight-saving change the earlier of two readings wins; a skipped hour moves forward.
pub fn from_wall_clock(wall: &str, timezone: &str) -> Option<OffsetDateTime> {
    let format = time::macros::format_description!("[year]-[month]-[day]T[hour]:[minute]");
    let wall = time::PrimitiveDateTime::parse(wall.get(..16)?, &format).ok()?.assume_utc();
    // The zone's offset at an instant is (its wall clock then) − (the instant); two rounds
    // settle it even when the offset at the guess differs from the offset at the answer.
    let offset_at = |t: OffsetDateTime| Some(wall_of(t, timezone)?.assume_utc() - t);
    let guess = wall - offset_at(wall)?;
    Some(wall - offset_at(guess)?)
}

/// `at` read on the clocks of `timezone`, through `Intl.DateTimeFormat.formatToParts`.
fn wall_of(at: OffsetDateTime, timezone: &str) -> Option<time::PrimitiveDateTime> {
    let intl = Reflect::get(&js_sys::global(), &"Intl".into()).ok()?;
    let ctor: Function = Reflect::get(&intl, &"DateTimeFormat".into()).ok()?.dyn_into().ok()?;
    let options = Object::new();
    for key in ["year", "month", "day", "hour", "minute", "second"] {
        Reflect::set(&options, &key.into(), &"numeric".into()).ok()?;
    }
    Reflect::set(&options, &"hourCycle".into(), &"h23".into()).ok()?;
    Reflect::set(&options, &"timeZone".into(), &timezone.into()).ok()?;
    let args = Array::of2(&JsValue::from_str("en-US"), &options);
    let formatter: Object = Reflect::construct(&ctor, &args).ok()?.dyn_into().ok()?;
    let parts: Function =
        Reflect::get(&formatter, &"formatToParts".into()).ok()?.dyn_into().ok()?;
    let parts: Array = parts.call1(&formatter, &js_date(at)).ok()?.dyn_into().ok()?;
    let mut fields = [0i32; 6];
    for part in parts.iter() {
        let kind = Reflect::get(&part, &"type".into()).ok()?.as_string()?;
        let value = Reflect::get(&part, &"value".into()).ok()?.as_string()?;
        let slot =
            ["year", "month", "day", "hour", "minute", "second"].iter().position(|k| *k == kind);
        if let Some(slot) = slot {
            fields[slot] = value.parse().ok()?;
        }
    }
    let [year, month, day, hour, minute, second] = fields;
    let date = time::Date::from_calendar_date(
        year,
        time::Month::try_from(u8::try_from(month).ok()?).ok()?,
        u8::try_from(day).ok()?,
    )
    .ok()?;
    let clock = time::Time::from_hms(
        u8::try_from(hour % 24).ok()?,
        u8::try_from(minute).ok()?,
        u8::try_from(second).ok()?,
    )
    .ok()?;
    Some(time::PrimitiveDateTime::new(date, clock))
}

/// The IANA time zones the browser knows (`Intl.supportedValuesOf`), for a picker.
pub fn time_zones() -> Vec<String> {
    let zones = Reflect::get(&js_sys::global(), &"Intl".into())
        .and_then(|intl| Reflect::get(&intl, &"supportedValuesOf".into()))
        .ok()
        .and_then(|f| f.dyn_into::<Function>().ok())
        .and_then(|f| f.call1(&JsValue::NULL, &"timeZone".into()).ok())
        .and_then(|v| v.dyn_into::<Array>().ok());
    match zones {
        Some(list) => list.iter().filter_map(|z| z.as_string()).collect(),
        None => vec!["UTC".to_owned()],
    }
}

/// The browser's own time zone (`Intl.DateTimeFormat().resolvedOptions().timeZone`).
pub fn browser_time_zone() -> Option<String> {
    let intl = Reflect::get(&js_sys::global(), &"Intl".into()).ok()?;
    let ctor: Function = Reflect::get(&intl, &"DateTimeFormat".into()).ok()?.dyn_into().ok()?;
    let formatter = Reflect::construct(&ctor, &Array::new()).ok()?;
    let resolved: Function =
        Reflect::get(&formatter, &"resolvedOptions".into()).ok()?.dyn_into().ok()?;
    let options = resolved.call0(&formatter).ok()?;
    Reflect::get(&options, &"timeZone".into()).ok()?.as_string()
}

/// A size for people, in SI units (`units`: bytes, kB, MB, GB in the reader's language) with
/// one decimal past the first unit: `1.5 kB`, `532 bytes`.
pub fn byte_size(bytes: u64, units: [&str; 4], decimal: char) -> String {
    let mut value = bytes as f64;
    let mut unit = 0;
    while value >= 1000.0 && unit < units.len() - 1 {
        value /= 1000.0;
        unit += 1;
    }
    let number = if unit == 0 || value >= 100.0 || value.fract() < 0.05 {
        format!("{value:.0}")
    } else {
        format!("{value:.1}").replace('.', &decimal.to_string())
    };
    format!("{number}\u{a0}{}", units[unit])
}
