//! Times as a person reads them.
//!
//! The workspace keeps every time in UTC, as the audit trail writes it
//! (`2026-12-01T06:51:15.704Z`), so that a workspace reads the same wherever it is opened.
//! Everything a person reads (the screen, the command line, the report, a refusal) shows the
//! time in the zone huishen works in, with that zone (`2026-12-01 14:51 CST`); exports give it
//! in RFC 3339 with the zone's offset (`2026-12-01T14:51:15.704+08:00`).
//!
//! The zone is decided in one place, [`init`] (or on first use, [`zone`]): `HUISHEN_TZ` when
//! set, else `TZ`, else the system's zone. A name that no time zone database knows is an
//! error that names the variable, never a silent UTC. The time zone database ships inside
//! huishen, so `Asia/Shanghai` works on a computer without `/usr/share/zoneinfo`; where the
//! system has a database, its copy is read first.

use std::sync::OnceLock;

use jiff::Timestamp;
use jiff::fmt::strtime;
use jiff::tz::{Offset, TimeZone, TimeZoneDatabase};

use crate::error::{Error, Result};

/// The variable that sets huishen's zone, before `TZ`.
pub const HUISHEN_TZ: &str = "HUISHEN_TZ";

/// A time zone, with the name it was given by.
#[derive(Debug, Clone)]
pub struct Zone {
    tz: TimeZone,
    name: String,
}

impl PartialEq for Zone {
    fn eq(&self, other: &Zone) -> bool {
        self.name == other.name
    }
}

impl Zone {
    /// Coordinated Universal Time.
    pub fn utc() -> Zone {
        Zone {
            tz: TimeZone::UTC,
            name: "UTC".into(),
        }
    }

    /// The zone of a name of the time zone database (`Asia/Shanghai`, `UTC`) or a POSIX rule
    /// (`CST-8`); `None` for anything else.
    pub fn named(name: &str) -> Option<Zone> {
        let name = name.trim();
        let spelled = name.strip_prefix(':').unwrap_or(name);
        if spelled.is_empty() {
            return None;
        }
        let tz = if spelled.starts_with('/') {
            // A TZif file by its path, as `TZ=/usr/share/zoneinfo/Asia/Shanghai` has it.
            let data = std::fs::read(spelled).ok()?;
            TimeZone::tzif(spelled, &data).ok()?
        } else {
            TimeZone::get(spelled)
                .or_else(|_| TimeZoneDatabase::bundled().get(spelled))
                .or_else(|_| TimeZone::posix(spelled))
                .ok()?
        };
        let name = tz.iana_name().unwrap_or(spelled).to_string();
        Some(Zone { tz, name })
    }

    /// The zone the environment asks for: `HUISHEN_TZ` when set, else `TZ`, else the
    /// system's (UTC when the system names none).
    pub fn from_env() -> Result<Zone> {
        let var = |name: &str| std::env::var(name).ok().filter(|v| !v.trim().is_empty());
        Zone::decide(var(HUISHEN_TZ).as_deref(), var("TZ").as_deref())
    }

    /// The zone of these values of `HUISHEN_TZ` and `TZ` (`None` when unset or empty).
    pub fn decide(huishen_tz: Option<&str>, tz: Option<&str>) -> Result<Zone> {
        let (variable, value) = match (huishen_tz, tz) {
            (Some(v), _) => (HUISHEN_TZ, v),
            (None, Some(v)) => ("TZ", v),
            (None, None) => {
                return Ok(TimeZone::try_system().map_or_else(
                    |_| Zone::utc(),
                    |tz| Zone {
                        name: tz.iana_name().unwrap_or("local").to_string(),
                        tz,
                    },
                ));
            }
        };
        Zone::named(value).ok_or_else(|| unknown(variable, value))
    }

    /// The zone's name: `Asia/Shanghai`, `UTC`.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// A stored time (RFC 3339, as the trail writes it) in this zone.
    fn local(&self, at: &str) -> Option<jiff::ZonedDateTime> {
        let ts: Timestamp = at.trim().parse().ok()?;
        Some(ts.to_zoned_datetime(self.tz.clone()))
    }

    /// What the zone is called at `at`: its abbreviation (`CST`, `UTC`, `CEST`), or its
    /// offset from UTC (`UTC+05:30`) where the database gives it none.
    fn label(&self, z: &jiff::ZonedDateTime) -> String {
        let info = self.tz.to_offset_info(z.timestamp());
        let abbreviation = info.abbreviation();
        if !abbreviation.is_empty() && abbreviation.chars().all(|c| c.is_ascii_alphabetic()) {
            abbreviation.to_string()
        } else {
            format!("UTC{}", offset(info.offset()))
        }
    }

    /// `2026-12-01T06:51:15.704Z` as `2026-12-01 14:51 CST`; a text that is not a time as it is.
    pub fn minute(&self, at: &str) -> String {
        self.show(at, "%Y-%m-%d %H:%M")
    }

    /// `2026-12-01T06:51:15.704Z` as `2026-12-01 14:51:15 CST`.
    pub fn second(&self, at: &str) -> String {
        self.show(at, "%Y-%m-%d %H:%M:%S")
    }

    /// `2026-12-01T06:51:15.704Z` as `14:51 CST`, for messages about today's work.
    pub fn clock(&self, at: &str) -> String {
        self.show(at, "%H:%M")
    }

    fn show(&self, at: &str, format: &str) -> String {
        let shown = self.local(at).and_then(|z| {
            let text = strtime::format(format, &z).ok()?;
            Some(format!("{text} {}", self.label(&z)))
        });
        shown.unwrap_or_else(|| at.to_string())
    }

    /// `2026-12-01T06:51:15.704Z` as RFC 3339 in this zone, `2026-12-01T14:51:15.704+08:00`
    /// (with `Z` where the zone's offset is zero), to the precision it was stored with; a
    /// text that is not a time as it is.
    pub fn rfc3339(&self, at: &str) -> String {
        let Some((z, mut text)) = self.local(at).and_then(|z| {
            let text = strtime::format("%Y-%m-%dT%H:%M:%S", &z).ok()?;
            Some((z, text))
        }) else {
            return at.to_string();
        };
        let fraction = match at.split_once('.') {
            Some((_, rest)) => rest.chars().take_while(char::is_ascii_digit).count().min(9),
            None => 0,
        };
        if fraction > 0 {
            let nanos = format!("{:09}", z.subsec_nanosecond());
            text.push('.');
            text.push_str(&nanos[..fraction]);
        }
        match z.offset() {
            o if o == Offset::UTC => text.push('Z'),
            o => text.push_str(&offset(o)),
        }
        text
    }

    /// An optional stored time in RFC 3339, as [`Zone::rfc3339`].
    pub fn rfc3339_opt(&self, at: Option<&str>) -> Option<String> {
        at.map(|at| self.rfc3339(at))
    }

    /// When today began in this zone (its last midnight), in the trail's format (UTC).
    pub fn today_start(&self) -> String {
        let now = Timestamp::now().to_zoned_datetime(self.tz.clone());
        let midnight = now
            .start_of_day()
            .map_or(now.timestamp(), |m| m.timestamp());
        trail(midnight)
    }

    /// A time as a person writes it, in the trail's format (UTC): a day (`2026-12-01`, its
    /// first moment in this zone), a day and a time in this zone (`2026-12-01 08:00`,
    /// `2026-12-01T08:00:00`), or a time with its offset (`2026-12-01T08:00:00+08:00`,
    /// `...Z`). `None` when it is none of these.
    pub fn utc_of(&self, text: &str) -> Option<String> {
        let text = text.trim();
        if let Ok(ts) = text.parse::<Timestamp>() {
            return Some(trail(ts));
        }
        let civil = text.parse::<jiff::civil::DateTime>().ok().or_else(|| {
            text.parse::<jiff::civil::Date>()
                .ok()
                .map(|d| d.to_datetime(jiff::civil::Time::midnight()))
        })?;
        let zoned = civil.to_zoned_datetime(self.tz.clone()).ok()?;
        Some(trail(zoned.timestamp()))
    }
}

/// An offset as `+08:00`.
fn offset(o: Offset) -> String {
    let secs = o.seconds();
    let sign = if secs < 0 { '-' } else { '+' };
    let secs = secs.unsigned_abs();
    format!("{sign}{:02}:{:02}", secs / 3600, secs % 3600 / 60)
}

/// A moment in the trail's format: `2026-12-01T06:51:15.704Z`.
fn trail(ts: Timestamp) -> String {
    // Every moment jiff holds has four-digit years, which the format writes.
    strtime::format("%Y-%m-%dT%H:%M:%S%.3fZ", ts).unwrap_or_else(|_| ts.to_string())
}

/// The error of a variable that names no zone.
fn unknown(variable: &str, value: &str) -> Error {
    let also = if variable == HUISHEN_TZ {
        (
            "or unset it to use TZ or the system's zone",
            "或取消设置以使用 TZ 或系统时区",
        )
    } else {
        (
            "or set HUISHEN_TZ, which huishen reads before TZ",
            "或设置 huishen 优先读取的 HUISHEN_TZ",
        )
    };
    Error::Declined {
        en: format!(
            "the environment variable {variable} is “{value}”, which is not a time zone: \
             nothing was done. Set {variable} to a name of the time zone database such as \
             Asia/Shanghai or UTC, {}",
            also.0
        ),
        zh: format!(
            "环境变量 {variable} 为“{value}”，不是时区名称，未做任何操作；请将 {variable} 设为\
             时区数据库中的名称（如 Asia/Shanghai 或 UTC），{}",
            also.1
        ),
    }
}

static ZONE: OnceLock<Zone> = OnceLock::new();

/// Decides the zone of this process from the environment (see [`Zone::from_env`]), once:
/// every later call, and [`zone`], gives the same. An unknown name is an error, and the zone
/// is left undecided.
pub fn init() -> Result<&'static Zone> {
    if let Some(zone) = ZONE.get() {
        return Ok(zone);
    }
    let zone = Zone::from_env()?;
    Ok(ZONE.get_or_init(|| zone))
}

/// The zone of this process: as [`init`] decided it, or, when nothing called it, from the
/// environment now (UTC when that names no zone: [`init`] is the way to hear of it).
pub fn zone() -> &'static Zone {
    ZONE.get_or_init(|| Zone::from_env().unwrap_or_else(|_| Zone::utc()))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn shanghai() -> Zone {
        Zone::named("Asia/Shanghai").unwrap()
    }

    #[test]
    fn shanghai_is_eight_hours_ahead_and_called_cst() {
        let at = "2026-12-01T06:51:15.704Z";
        assert_eq!(shanghai().minute(at), "2026-12-01 14:51 CST");
        assert_eq!(shanghai().second(at), "2026-12-01 14:51:15 CST");
        assert_eq!(shanghai().clock(at), "14:51 CST");
        assert_eq!(shanghai().rfc3339(at), "2026-12-01T14:51:15.704+08:00");
        // Past midnight in Beijing, still the day before in UTC.
        assert_eq!(
            shanghai().minute("2026-11-30T16:30:00Z"),
            "2026-12-01 00:30 CST"
        );
    }

    #[test]
    fn utc_keeps_the_stored_text_in_exports() {
        let utc = Zone::utc();
        for at in ["2026-12-01T06:51:15.704Z", "2026-12-01T09:40:00Z"] {
            assert_eq!(utc.rfc3339(at), at);
        }
        assert_eq!(
            utc.minute("2026-12-01T06:51:15.704Z"),
            "2026-12-01 06:51 UTC"
        );
        assert_eq!(utc.rfc3339("not a time"), "not a time");
    }

    #[test]
    fn a_zone_without_an_abbreviation_shows_its_offset() {
        let kolkata = Zone::named("Asia/Kolkata").unwrap();
        let shown = kolkata.clock("2026-12-01T06:51:15Z");
        assert!(
            shown == "12:21 IST" || shown == "12:21 UTC+05:30",
            "{shown}"
        );
        let fixed = Zone::named("<+0545>-5:45").unwrap();
        assert_eq!(fixed.clock("2026-12-01T06:51:15Z"), "12:36 UTC+05:45");
        assert_eq!(
            fixed.rfc3339("2026-12-01T06:51:15Z"),
            "2026-12-01T12:36:15+05:45"
        );
    }

    #[test]
    fn the_bundled_database_knows_shanghai() {
        // What a computer without /usr/share/zoneinfo reads.
        let tz = TimeZoneDatabase::bundled().get("Asia/Shanghai").unwrap();
        assert_eq!(tz.iana_name(), Some("Asia/Shanghai"));
    }

    #[test]
    fn huishen_tz_comes_before_tz() {
        let z = Zone::decide(Some("Asia/Shanghai"), Some("UTC")).unwrap();
        assert_eq!(z.name(), "Asia/Shanghai");
        let z = Zone::decide(None, Some(":Europe/Berlin")).unwrap();
        assert_eq!(z.name(), "Europe/Berlin");
        let z = Zone::decide(None, Some("CST-8")).unwrap();
        assert_eq!(z.clock("2026-12-01T06:51:15Z"), "14:51 CST");
    }

    #[test]
    fn an_unknown_name_says_which_variable_and_what_to_do() {
        let e = Zone::decide(Some("Asia/Shangai"), None).unwrap_err();
        let text = e.to_string();
        assert!(text.contains("HUISHEN_TZ is “Asia/Shangai”"), "{text}");
        assert!(text.contains("Asia/Shanghai or UTC"), "{text}");
        let e = Zone::decide(None, Some("Mars/Olympus")).unwrap_err();
        assert!(e.to_string().contains("TZ is “Mars/Olympus”"), "{e}");
    }

    #[test]
    fn a_time_a_person_writes_is_read_in_the_zone() {
        let z = shanghai();
        assert_eq!(z.utc_of("2026-12-01").unwrap(), "2026-11-30T16:00:00.000Z");
        assert_eq!(
            z.utc_of("2026-12-01 08:00").unwrap(),
            "2026-12-01T00:00:00.000Z"
        );
        assert_eq!(
            z.utc_of("2026-12-01T08:00:00Z").unwrap(),
            "2026-12-01T08:00:00.000Z"
        );
        assert_eq!(
            z.utc_of("2026-12-01T08:00:00+08:00").unwrap(),
            "2026-12-01T00:00:00.000Z"
        );
        assert_eq!(z.utc_of("soon"), None);
        let start = z.today_start();
        assert!(start.ends_with(":00:00.000Z"), "{start}");
        assert_eq!(z.clock(&start), "00:00 CST");
    }
}
