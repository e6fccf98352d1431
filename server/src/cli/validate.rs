//! `dashstudio validate PATH`: the validation engine over a directory or one
//! file, printed in the chosen format, with exit status 0 / 1 / 2.

use std::io::{IsTerminal, Write};
use std::path::Path;

use dashstudio_core::validate::format::Format;
use dashstudio_core::validate::{self, Options, Report, Repository};

use crate::config::{OutputFormat, ValidateConfig};

/// Exit status: no error diagnostics.
pub const EXIT_CLEAN: i32 = 0;
/// Exit status: error diagnostics were found.
pub const EXIT_ERRORS: i32 = 1;
/// Exit status: validation could not run (bad path, unreadable tree).
pub const EXIT_FAILED: i32 = 2;

/// Runs the command, printing the report on stdout and failures on stderr.
pub fn run(config: &ValidateConfig) -> i32 {
    let report = match validate_path(&config.path, config.external_datasources.clone()) {
        Ok(report) => report,
        Err(message) => {
            eprintln!("dashstudio validate: {message}");
            return EXIT_FAILED;
        }
    };
    let format = match config.format {
        OutputFormat::Text => Format::Text {
            colour: std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none(),
        },
        OutputFormat::Json => Format::Json,
        OutputFormat::Sarif => Format::Sarif,
        OutputFormat::Github => Format::Github,
    };
    let mut stdout = std::io::stdout().lock();
    if let Err(e) = stdout.write_all(format.render(&report).as_bytes()) {
        eprintln!("dashstudio validate: cannot write the report: {e}");
        return EXIT_FAILED;
    }
    if report.has_errors() {
        EXIT_ERRORS
    } else {
        EXIT_CLEAN
    }
}

/// Validates a directory tree, or a single file as a repository of one.
pub fn validate_path(path: &Path, external_datasources: Vec<String>) -> Result<Report, String> {
    let options = Options {
        external_datasources,
    };
    let metadata =
        std::fs::metadata(path).map_err(|e| format!("cannot open {}: {e}", path.display()))?;
    let repo = if metadata.is_dir() {
        Repository::from_dir(path).map_err(|e| e.to_string())?
    } else {
        let bytes =
            std::fs::read(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        let name = path.file_name().map_or_else(
            || path.display().to_string(),
            |n| n.to_string_lossy().into_owned(),
        );
        Repository::from_files([(name.as_str(), bytes.as_slice())])
    };
    Ok(validate::validate(&repo, &options))
}
