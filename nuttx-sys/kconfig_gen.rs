// SPDX-License-Identifier: Apache-2.0
//! `.config` to Rust source; used by `build.rs` and unit-tested on the host.

use std::fmt::Write as _;
use std::format;
use std::string::String;

/// Turns `.config` into Rust: `bool` for `=y`/`is not set`, `i64` for
/// numbers, `&CStr` for strings, and two macros for strings needed as
/// literals: `kconfig_str!` (the value) and `kconfig_c_ident!` (the value
/// with `-` turned into `_`, as NuttX's Application.mk names a program's
/// `<name>_main`; only for values that then form a C identifier).
pub fn kconfig_module(config: &str) -> String {
    let mut consts = String::new();
    let mut macro_arms = String::new();
    let mut ident_arms = String::new();
    for line in config.lines() {
        if let Some(name) = line
            .strip_prefix("# CONFIG_")
            .and_then(|rest| rest.strip_suffix(" is not set"))
        {
            writeln!(consts, "pub const CONFIG_{name}: bool = false;").unwrap();
            continue;
        }
        let Some((name, value)) = line.strip_prefix("CONFIG_").and_then(|l| l.split_once('='))
        else {
            continue;
        };
        if value == "y" {
            writeln!(consts, "pub const CONFIG_{name}: bool = true;").unwrap();
        } else if value.starts_with('"') && value.ends_with('"') && value.len() >= 2 {
            let text = &value[1..value.len() - 1];
            writeln!(
                consts,
                "pub const CONFIG_{name}: &core::ffi::CStr = c\"{text}\";"
            )
            .unwrap();
            writeln!(macro_arms, "    (CONFIG_{name}) => {{ \"{text}\" }};").unwrap();
            let ident = text.replace('-', "_");
            let is_ident = ident.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
                && ident.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
            if is_ident {
                writeln!(ident_arms, "    (CONFIG_{name}) => {{ \"{ident}\" }};").unwrap();
            }
        } else if let Some(hex) = value.strip_prefix("0x") {
            writeln!(consts, "pub const CONFIG_{name}: u64 = 0x{hex};").unwrap();
        } else if value.parse::<i64>().is_ok() {
            writeln!(consts, "pub const CONFIG_{name}: i64 = {value};").unwrap();
        }
    }
    format!(
        "{consts}\n/// A string option as a literal, for attributes: `kconfig_str!(CONFIG_ARCH)`.\n#[macro_export]\nmacro_rules! kconfig_str {{\n{macro_arms}}}\n\n/// A string option as a C identifier literal (`-` becomes `_`).\n#[macro_export]\nmacro_rules! kconfig_c_ident {{\n{ident_arms}}}\n"
    )
}

/// The options that are on: `=y`, or a string that is not empty. Their
/// names (without `CONFIG_`) go to the crates that use `nuttx-sys` as links
/// metadata, which they turn into `cfg(kconfig = "NAME")`, so code for an
/// option that is off is not even compiled.
pub fn options_on(config: &str) -> std::vec::Vec<&str> {
    config
        .lines()
        .filter_map(|line| line.strip_prefix("CONFIG_")?.split_once('='))
        .filter(|(_, value)| *value == "y" || (value.starts_with('"') && value.len() > 2))
        .map(|(name, _)| name)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::{kconfig_module, options_on};

    #[test]
    fn each_kind_of_option_gets_its_type() {
        let rust = kconfig_module(
            "# comment\nCONFIG_FS_ROMFS=y\n# CONFIG_NET is not set\nCONFIG_MINOR=1\nCONFIG_NEG=-3\nCONFIG_BASE=0x10000000\nCONFIG_HOME=\"/usr/local\"\nCONFIG_16550_UART=y\n",
        );
        for line in [
            "pub const CONFIG_FS_ROMFS: bool = true;",
            "pub const CONFIG_NET: bool = false;",
            "pub const CONFIG_MINOR: i64 = 1;",
            "pub const CONFIG_NEG: i64 = -3;",
            "pub const CONFIG_BASE: u64 = 0x10000000;",
            "pub const CONFIG_HOME: &core::ffi::CStr = c\"/usr/local\";",
            "pub const CONFIG_16550_UART: bool = true;",
            "    (CONFIG_HOME) => { \"/usr/local\" };",
        ] {
            assert!(rust.contains(line), "missing {line:?} in\n{rust}");
        }
        assert!(!rust.contains("comment"));
    }

    #[test]
    fn program_names_become_c_identifiers() {
        let rust = kconfig_module("CONFIG_PROG=\"python-rs\"\nCONFIG_PATH=\"/usr/local\"\n");
        assert!(
            rust.contains("    (CONFIG_PROG) => { \"python_rs\" };"),
            "{rust}"
        );
        assert!(
            !rust.contains("    (CONFIG_PATH) => { \"/usr_local\" };"),
            "{rust}"
        );
        assert_eq!(
            rust.matches("(CONFIG_PATH) =>").count(),
            1,
            "only kconfig_str! has the path"
        );
    }

    #[test]
    fn escaped_quotes_stay_escaped() {
        let rust = kconfig_module("CONFIG_TEXT=\"say \\\"hi\\\"\"\n");
        assert!(rust.contains(r#"c"say \"hi\"""#), "{rust}");
    }

    #[test]
    fn on_means_yes_or_a_string_with_text() {
        let on = options_on(
            "CONFIG_A=y\n# CONFIG_B is not set\nCONFIG_C=\"\"\nCONFIG_D=\"/main.py\"\nCONFIG_E=3\nCONFIG_F=m\n",
        );
        assert_eq!(on, ["A", "D"]);
    }
}
