//! The command line (clap), turned into library configuration. Only the
//! binary sees these types.

use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

/// Find personal data (names, addresses, e-mails, phones, IBANs, NIRs, IPs,
/// birth dates, cards) in file shares, for GDPR inventories, access and
/// erasure requests.
#[derive(Debug, Parser)]
#[command(name = "pdscout", version, about, long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Sweep: inventory every piece of personal data under PATHs.
    ///
    /// Exit status: 0 personal data found, 1 none found, 2 usage or fatal error,
    /// 130 interrupted.
    Scan(ScanArgs),
    /// Access or erasure request: every place one person's data appears.
    ///
    /// Give any subset of the person's identifiers (each repeatable); they
    /// are matched however they are written. Each finding of the person is
    /// marked `"match": "strong"` (a full name, a unique identifier) or
    /// `"weak"` (a surname alone, a birth date alone); the other personal
    /// data of the same record (table row, document, message) is listed with
    /// `"match": "record"`. Exit status as for `scan`.
    Subject(SubjectArgs),
    /// What the inventory holds: totals, new and removed files, coverage,
    /// retention.
    Report(ReportArgs),
    /// A scheduled sweep as configured (roots, excludes, inventory,
    /// retention rules), for cron or a systemd timer.
    ///
    /// Exit status as for `scan`; 2 also when a root is missing, unreadable
    /// or empty where the last run found files, when another sweep holds the
    /// inventory, and when the key file is not the inventory's.
    Sweep(SweepArgs),
    /// The detectors and patterns in force.
    #[command(subcommand)]
    Patterns(PatternsCommand),
    /// The text units pdscout reads from files, with their locations (for
    /// checking a reader and writing patterns; no detection).
    ///
    /// Exit status: 0 every file read, 1 some file not (fully) read, 2 usage
    /// or fatal error.
    Extract(ExtractArgs),
    /// Shell completions, to source from the shell's start-up file or to
    /// install in its completions folder.
    Completions {
        /// bash, zsh, fish, powershell or elvish.
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// The manual page (roff), e.g. `pdscout man > pdscout.1`.
    Man,
}

#[derive(Debug, Args)]
pub struct ExtractArgs {
    /// Files to read.
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<PathBuf>,
    /// Output format: text (one unit a line) or json (JSON Lines, one
    /// object a unit, then one a file).
    #[arg(long, value_enum, default_value = "text")]
    pub format: ExtractFormat,
    /// Stop reading a file after SECS seconds, as `scan` does.
    #[arg(long, value_name = "SECS", default_value = "60", value_parser = seconds)]
    pub max_file_time: std::time::Duration,
    /// Read in this process, without a reader process.
    #[arg(long)]
    pub in_process: bool,
    /// Read pictures and scanned PDF pages with OCR, as `scan --ocr` does.
    #[arg(long)]
    pub ocr: bool,
    /// With --ocr: OCR time of one file, at most, on top of --max-file-time.
    #[arg(long, value_name = "SECS", default_value = "120", value_parser = seconds)]
    pub ocr_timeout: std::time::Duration,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum ExtractFormat {
    Text,
    Json,
}

#[derive(Debug, Args)]
pub struct ReportArgs {
    /// The inventory (made by `scan --db` or `sweep`).
    #[arg(long, value_name = "FILE", required_unless_present = "config")]
    pub db: Option<PathBuf>,
    /// A sweep configuration: its inventory and retention rules.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value = "table")]
    pub format: ReportFormat,
    /// Write the report to FILE (created with mode 0600) instead of stdout.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Retention: list files with personal data unchanged for longer than
    /// this (e.g. 5y, 18m, 90d), after the configuration's per-path rules.
    #[arg(long, value_name = "DURATION")]
    pub older_than: Option<String>,
    /// Most files shown per list (totals count them all).
    #[arg(long, value_name = "N", default_value_t = 100)]
    pub limit: usize,
    /// The inventory's key (required with a postgres:// inventory).
    #[arg(long, value_name = "FILE")]
    pub key_file: Option<PathBuf>,
}

/// Where a run's files go in a shared inventory (many hosts, shards).
#[derive(Debug, Args)]
pub struct InventoryArgs {
    /// The inventory's key: a file holding 64 hex digits, given to every
    /// host (required with a postgres:// inventory; else `<db>.key`).
    #[arg(long, value_name = "FILE")]
    pub key_file: Option<PathBuf>,
    /// What the roots belong to in the inventory (a server, a share), so
    /// that two hosts' equal paths never collide [default: the host name].
    #[arg(long, value_name = "NAME")]
    pub source: Option<String>,
    /// Read only part K of N of the files (K = 1..N: N workers together
    /// read each file once); files of other parts are neither read nor
    /// marked removed.
    #[arg(long, value_name = "K/N", value_parser = shard)]
    pub shard: Option<String>,
    /// How files are split between shards: by their path, or by their
    /// top-level folder below the root.
    #[arg(long, value_enum, default_value = "path", requires = "shard")]
    pub shard_by: ShardBy,
    /// The sweep the shards belong to (`report` shows it complete when
    /// all N have finished) [default: the day].
    #[arg(long, value_name = "ID", requires = "shard")]
    pub generation: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ShardBy {
    Path,
    Folder,
}

/// `K/N` with 1 ≤ K ≤ N.
fn shard(s: &str) -> Result<String, String> {
    crate::walk::Shard::parse(s, false)
        .map(|_| s.trim().to_string())
        .ok_or_else(|| format!("'{s}' is not a shard K/N with 1 <= K <= N (e.g. 3/8)"))
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum ReportFormat {
    Table,
    Html,
    Csv,
    Json,
}

#[derive(Debug, Args)]
pub struct SweepArgs {
    /// The sweep configuration (`pdscout.toml`).
    #[arg(long, value_name = "FILE")]
    pub config: PathBuf,
    /// Read every file again, changed or not.
    #[arg(long)]
    pub full: bool,
    /// Sweep a root that is empty although the last run found files under
    /// it (they are then marked removed); refused otherwise, as an
    /// unmounted share would look.
    #[arg(long)]
    pub allow_empty_root: bool,
    /// No progress bar and no summary on stderr.
    #[arg(short, long)]
    pub quiet: bool,
    #[command(flatten)]
    pub inventory: InventoryArgs,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum FormatArg {
    Table,
    Jsonl,
    Json,
    Csv,
    Html,
}

#[derive(Debug, Args)]
pub struct ScanArgs {
    /// Files or folders to scan; `-` reads standard input as one text
    /// document named `<stdin>`.
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// With --db: read every file again, changed or not.
    #[arg(long, requires = "db")]
    pub full: bool,
    /// With --db: record a run over a root that is empty although the last
    /// run found files under it (they are then marked removed); refused
    /// otherwise, as an unmounted share would look.
    #[arg(long)]
    pub allow_empty_root: bool,
    #[command(flatten)]
    pub common: CommonArgs,
}

#[derive(Debug, Args)]
pub struct SubjectArgs {
    /// Files or folders to search (with --db: only files under these);
    /// `-` reads standard input as one text document named `<stdin>`.
    #[arg(required_unless_present = "db", value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// With --db: read the files the inventory points to again, to confirm
    /// the matches and add the person's record context.
    #[arg(long, requires = "db")]
    pub verify: bool,
    /// The person's name ("Élodie Lefèvre", "LEFEVRE Élodie", "Lefèvre, Élodie").
    #[arg(long, value_name = "NAME")]
    pub name: Vec<String>,
    /// An e-mail address.
    #[arg(long, value_name = "EMAIL")]
    pub email: Vec<String>,
    /// A phone number, in any French form or E.164.
    #[arg(long, value_name = "PHONE")]
    pub phone: Vec<String>,
    /// An IBAN, grouped or not.
    #[arg(long, value_name = "IBAN")]
    pub iban: Vec<String>,
    /// A social security number (NIR), with or without its key.
    #[arg(long, value_name = "NIR")]
    pub nir: Vec<String>,
    /// A birth date (YYYY-MM-DD or DD/MM/YYYY).
    #[arg(long, value_name = "DATE")]
    pub birthdate: Vec<String>,
    /// A postal address ("12 rue de la Paix 75002 Paris").
    #[arg(long, value_name = "ADDRESS")]
    pub address: Vec<String>,
    /// An identifier of any kind the patterns find, as KIND=VALUE
    /// (`--id tax_id=…`, `--id id_document=…`, `--id card=…`).
    #[arg(long = "id", value_name = "KIND=VALUE", value_parser = kind_value)]
    pub id: Vec<(String, String)>,
    #[command(flatten)]
    pub common: CommonArgs,
}

/// Options shared by the scanning commands.
#[derive(Debug, Args)]
pub struct CommonArgs {
    /// Output format [default: table on a terminal, jsonl otherwise].
    #[arg(long, value_enum)]
    pub format: Option<FormatArg>,
    /// Write the report to FILE (created with mode 0600) instead of stdout.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Put the normalised value of each finding in `value` (reports hold only `masked` otherwise).
    #[arg(long)]
    pub reveal: bool,
    /// Only these kinds, comma-separated, any case: email, iban, nir, phone,
    /// ip, birthdate, card, name, address (and the kinds of --patterns files).
    #[arg(long, value_name = "LIST", value_delimiter = ',', value_parser = kind_name)]
    pub kinds: Option<Vec<String>>,
    /// Load extra pattern files (*.toml) from DIR on top of the built-in ones.
    #[arg(long, value_name = "DIR")]
    pub patterns: Vec<PathBuf>,
    /// Worker threads [default: all cores].
    #[arg(short = 'j', long, value_name = "N")]
    pub threads: Option<usize>,
    /// Skip files and folders matching GLOB (repeatable; matched against the
    /// path below the root and the name).
    #[arg(long, value_name = "GLOB")]
    pub exclude: Vec<String>,
    /// Only scan files matching GLOB (repeatable).
    #[arg(long, value_name = "GLOB")]
    pub include: Vec<String>,
    /// Skip larger files, reported as skipped (e.g. 500M, 2G).
    #[arg(long, value_name = "SIZE", value_parser = size)]
    pub max_file_size: Option<u64>,
    /// Follow symbolic links (loops are detected and reported; each file read once).
    #[arg(long)]
    pub follow_links: bool,
    /// Drop findings below this confidence (0..1). The default drops what is
    /// most likely not personal data (company addresses, loopback IPs);
    /// 0 shows everything.
    #[arg(
        long,
        value_name = "X",
        default_value_t = crate::config::DEFAULT_MIN_CONFIDENCE,
        allow_negative_numbers = true,
        value_parser = confidence
    )]
    pub min_confidence: f32,
    /// Values that are not personal data here: one a line, `kind: value` or a
    /// bare value, compared after normalisation; `#` starts a comment.
    #[arg(long, value_name = "FILE")]
    pub allow: Option<PathBuf>,
    /// No progress bar and no summary on stderr.
    #[arg(short, long)]
    pub quiet: bool,
    /// No progress bar.
    #[arg(long)]
    pub no_progress: bool,
    /// scan: record the run in this inventory (a SQLite file, or
    /// postgres://USER@HOST:PORT/DB with the password in PGPASSWORD or
    /// ~/.pgpass; files unchanged since the last run are not read again).
    /// subject: answer from it.
    #[arg(long, value_name = "FILE")]
    pub db: Option<PathBuf>,
    #[command(flatten)]
    pub inventory: InventoryArgs,
    /// Stop reading a file after SECS seconds (fractions allowed); it is
    /// reported as partly read, with its findings so far.
    #[arg(long, value_name = "SECS", default_value = "60", value_parser = seconds)]
    pub max_file_time: std::time::Duration,
    /// Memory (address space) of each reader process, such as 2G: a
    /// spreadsheet, PDF, office document, e-mail or archive that needs
    /// more is reported as "ran out of memory" [default: half the RAM
    /// shared between the workers, at most 4G].
    #[arg(long, value_name = "SIZE")]
    pub child_memory: Option<String>,
    /// Read every file in this process, without reader processes (for
    /// debugging: a parser that aborts then ends the scan).
    #[arg(long)]
    pub in_process: bool,
    /// Read pictures and the pages of scanned PDFs with OCR (Tesseract;
    /// without it they are listed as not covered, needing --ocr).
    #[arg(long)]
    pub ocr: bool,
    /// With --ocr: OCR time of one file, at most, on top of --max-file-time.
    #[arg(long, value_name = "SECS", default_value = "120", value_parser = seconds)]
    pub ocr_timeout: std::time::Duration,
}

/// A size such as `500M` or `2G` ([`crate::config::parse_size`]).
fn size(s: &str) -> Result<u64, String> {
    crate::config::parse_size(s).ok_or_else(|| format!("'{s}' is not a size (e.g. 500M, 2G)"))
}

/// A kind's name as the registry spells it: `NIR` and ` iban` are `nir`
/// and `iban` (unknown names are refused with the list of kinds when the
/// patterns are loaded).
fn kind_name(s: &str) -> Result<String, String> {
    let k = s.trim().to_lowercase();
    if k.is_empty() {
        return Err("empty kind name (e.g. --kinds nir,iban)".into());
    }
    Ok(k)
}

/// `KIND=VALUE`, the kind spelt as the registry does ([`kind_name`]).
fn kind_value(s: &str) -> Result<(String, String), String> {
    let (kind, value) = s
        .split_once('=')
        .ok_or("expected KIND=VALUE (e.g. --id tax_id=…)")?;
    Ok((kind_name(kind)?, value.to_string()))
}

/// A confidence, from 0 to 1.
fn confidence(s: &str) -> Result<f32, String> {
    s.trim()
        .parse::<f32>()
        .ok()
        .filter(|v| (0.0..=1.0).contains(v))
        .ok_or_else(|| format!("'{s}' is not a confidence between 0 and 1 (e.g. 0.5)"))
}

/// A number of seconds, `0` or more, fractions allowed.
fn seconds(s: &str) -> Result<std::time::Duration, String> {
    s.trim()
        .parse::<f64>()
        .ok()
        .and_then(|v| std::time::Duration::try_from_secs_f64(v).ok())
        .ok_or_else(|| format!("'{s}' is not a number of seconds (e.g. 60, 600, 0.5)"))
}

#[derive(Debug, Subcommand)]
pub enum PatternsCommand {
    /// List the patterns in force with their source file.
    List {
        /// Extra pattern folders, as for `scan`.
        #[arg(long, value_name = "DIR")]
        patterns: Vec<PathBuf>,
    },
    /// Show what the detectors find in TEXT (values shown: the text is yours).
    Test {
        /// The text to search.
        text: String,
        /// Pretend TEXT sits in a column with this header (e.g. "Date de naissance").
        #[arg(long, value_name = "HEADER")]
        column: Option<String>,
        /// Extra pattern folders, as for `scan`.
        #[arg(long, value_name = "DIR")]
        patterns: Vec<PathBuf>,
    },
    /// Check every pattern against its own examples and negative examples.
    Check {
        /// Extra pattern folders, as for `scan`.
        #[arg(long, value_name = "DIR")]
        patterns: Vec<PathBuf>,
    },
}
