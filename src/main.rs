use clap::Parser;
use std::process::ExitCode;
use tally::error::Exit;

fn main() -> ExitCode {
    tally::fsutil::ignore_file_size_signal();
    let cli = match tally::cli::Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            // clap: 0 for --help/--version, 2 for a wrong command line (SPEC §7).
            return ExitCode::from(if e.use_stderr() {
                Exit::Usage.code()
            } else {
                0
            });
        }
    };
    match tally::commands::run(cli) {
        Ok(exit) => ExitCode::from(exit.code()),
        Err(e) if e.broken_pipe => ExitCode::SUCCESS,
        Err(e) => {
            for line in e.lines() {
                tally::error::say_err(&tally::tr!("line-error", message = line));
            }
            ExitCode::from(e.exit.code())
        }
    }
}
