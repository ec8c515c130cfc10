// SPDX-License-Identifier: Apache-2.0
//! The environment CPython starts with.
//!
//! CPython reads its configuration from environment variables; setting them
//! here is what spares the user `set PYTHONHOME ...` at the NSH prompt. A
//! variable the user did set in NSH wins, unless the build says to force the
//! configured values.

use core::ffi::CStr;
use heapless::Vec;

/// The configured values (Kconfig `INTERPRETERS_PYTHON_RS_*`).
#[derive(Clone, Copy, Debug)]
pub struct EnvConfig<'a> {
    /// `PYTHONHOME`: the prefix of `lib/python<major>.<minor>`.
    pub home: &'a CStr,
    /// `PYTHONPATH`; empty means "do not set".
    pub path: &'a CStr,
    /// Set `PYTHON_BASIC_REPL=1` (the 3.13 REPL needs a full terminal).
    pub basic_repl: bool,
    /// Let CPython colour its output; when false, `PYTHON_COLORS=0`
    /// (serial consoles show the escape codes as text).
    pub colors: bool,
    /// Set `PYTHONUNBUFFERED=1`: output reaches the console at once.
    pub unbuffered: bool,
    /// Overwrite values the user set in NSH.
    pub force: bool,
}

/// One `setenv(name, value, 1)` to make.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Assignment<'a> {
    pub name: &'static CStr,
    pub value: &'a CStr,
}

/// Every variable the launcher may set, at most.
pub const MAX_ASSIGNMENTS: usize = 5;

/// The assignments to make, given which variables are set already.
///
/// `is_set` answers whether the user's environment has a variable; it is
/// asked only when the configuration does not force the values.
pub fn plan_environment<'a>(
    config: &EnvConfig<'a>,
    mut is_set: impl FnMut(&CStr) -> bool,
) -> Vec<Assignment<'a>, MAX_ASSIGNMENTS> {
    let wanted = [
        (c"PYTHONHOME", config.home),
        (c"PYTHONPATH", config.path),
        (
            c"PYTHON_BASIC_REPL",
            if config.basic_repl { c"1" } else { c"" },
        ),
        (c"PYTHON_COLORS", if config.colors { c"" } else { c"0" }),
        (
            c"PYTHONUNBUFFERED",
            if config.unbuffered { c"1" } else { c"" },
        ),
    ];
    let mut plan = Vec::new();
    for (name, value) in wanted {
        if value.is_empty() || (!config.force && is_set(name)) {
            continue;
        }
        // `wanted` has MAX_ASSIGNMENTS entries, so the push cannot fail.
        let _ = plan.push(Assignment { name, value });
    }
    plan
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config() -> EnvConfig<'static> {
        EnvConfig {
            home: c"/usr/local",
            path: c"/mnt/sd/lib",
            basic_repl: true,
            colors: false,
            unbuffered: true,
            force: false,
        }
    }

    fn names(plan: &[Assignment<'_>]) -> std::vec::Vec<&'static str> {
        plan.iter().map(|a| a.name.to_str().unwrap()).collect()
    }

    #[test]
    fn sets_everything_configured_in_a_clean_environment() {
        let plan = plan_environment(&config(), |_| false);
        assert_eq!(
            plan.as_slice(),
            [
                Assignment {
                    name: c"PYTHONHOME",
                    value: c"/usr/local"
                },
                Assignment {
                    name: c"PYTHONPATH",
                    value: c"/mnt/sd/lib"
                },
                Assignment {
                    name: c"PYTHON_BASIC_REPL",
                    value: c"1"
                },
                Assignment {
                    name: c"PYTHON_COLORS",
                    value: c"0"
                },
                Assignment {
                    name: c"PYTHONUNBUFFERED",
                    value: c"1"
                },
            ]
        );
    }

    #[test]
    fn keeps_what_the_user_set_in_nsh() {
        let plan = plan_environment(&config(), |name| name == c"PYTHONPATH");
        assert_eq!(
            names(&plan),
            [
                "PYTHONHOME",
                "PYTHON_BASIC_REPL",
                "PYTHON_COLORS",
                "PYTHONUNBUFFERED"
            ]
        );
    }

    #[test]
    fn force_overrides_the_user() {
        let mut cfg = config();
        cfg.force = true;
        let mut asked = 0;
        let plan = plan_environment(&cfg, |_| {
            asked += 1;
            true
        });
        assert_eq!(
            names(&plan),
            [
                "PYTHONHOME",
                "PYTHONPATH",
                "PYTHON_BASIC_REPL",
                "PYTHON_COLORS",
                "PYTHONUNBUFFERED"
            ]
        );
        assert_eq!(asked, 0, "forcing needs no lookups");
    }

    #[test]
    fn empty_values_are_not_set() {
        let cfg = EnvConfig {
            home: c"/usr/local",
            path: c"",
            basic_repl: false,
            colors: true,
            unbuffered: false,
            force: false,
        };
        assert_eq!(names(&plan_environment(&cfg, |_| false)), ["PYTHONHOME"]);
    }

    #[test]
    fn home_comes_from_the_configuration() {
        let mut cfg = config();
        cfg.home = c"/mnt/sd/python";
        let plan = plan_environment(&cfg, |_| false);
        assert_eq!(
            plan[0],
            Assignment {
                name: c"PYTHONHOME",
                value: c"/mnt/sd/python"
            }
        );
    }
}
