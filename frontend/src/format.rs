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
