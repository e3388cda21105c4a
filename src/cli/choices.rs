//! The command line's spelling of the core's choices (formats, encodings, what to export):
//! clap reads these, and each maps onto the core's own type.

use huishen_core::review as core;

/// The file formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Csv,
    Json,
    /// An Excel workbook (.xlsx): codes and keys as text, a sheet per table
    Xlsx,
}

/// The text encodings of exported CSV files.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum OutEncoding {
    #[value(name = "utf-8", alias = "utf8")]
    Utf8,
    Gbk,
}

/// The encodings an import reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Encoding {
    Auto,
    #[value(name = "utf-8", alias = "utf8")]
    Utf8,
    Gbk,
    Gb18030,
}

/// What to export.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum What {
    /// The records with their current values
    Data,
    /// One row per standing correction
    Changes,
    /// Every flag with its state and explanation
    Flags,
    /// The signature register
    Signatures,
    /// The notes on records
    Notes,
    /// All five, a sheet each, in one workbook (with --format xlsx)
    All,
}

/// Which records to export.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Only {
    /// Records signed off and locked
    Signed,
    /// Every record
    All,
}

/// What the header line says.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Headers {
    /// Field and column names (ASCII)
    Names,
    /// Chinese labels
    Zh,
    /// English labels
    En,
}

/// The report's file format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ReportFormat {
    Html,
    Md,
}

impl From<Format> for core::Format {
    fn from(f: Format) -> core::Format {
        match f {
            Format::Csv => core::Format::Csv,
            Format::Json => core::Format::Json,
            Format::Xlsx => core::Format::Xlsx,
        }
    }
}

impl From<OutEncoding> for core::OutEncoding {
    fn from(e: OutEncoding) -> core::OutEncoding {
        match e {
            OutEncoding::Utf8 => core::OutEncoding::Utf8,
            OutEncoding::Gbk => core::OutEncoding::Gbk,
        }
    }
}

impl From<Encoding> for core::EncodingChoice {
    fn from(e: Encoding) -> core::EncodingChoice {
        match e {
            Encoding::Auto => core::EncodingChoice::Auto,
            Encoding::Utf8 => core::EncodingChoice::Utf8,
            Encoding::Gbk => core::EncodingChoice::Gbk,
            Encoding::Gb18030 => core::EncodingChoice::Gb18030,
        }
    }
}

impl From<What> for core::What {
    fn from(w: What) -> core::What {
        match w {
            What::Data => core::What::Data,
            What::Changes => core::What::Changes,
            What::Flags => core::What::Flags,
            What::Signatures => core::What::Signatures,
            What::Notes => core::What::Notes,
            What::All => core::What::All,
        }
    }
}

impl From<Only> for core::Only {
    fn from(o: Only) -> core::Only {
        match o {
            Only::Signed => core::Only::Signed,
            Only::All => core::Only::All,
        }
    }
}

impl From<Headers> for core::Headers {
    fn from(h: Headers) -> core::Headers {
        match h {
            Headers::Names => core::Headers::Names,
            Headers::Zh => core::Headers::Zh,
            Headers::En => core::Headers::En,
        }
    }
}

impl From<ReportFormat> for core::ReportFormat {
    fn from(f: ReportFormat) -> core::ReportFormat {
        match f {
            ReportFormat::Html => core::ReportFormat::Html,
            ReportFormat::Md => core::ReportFormat::Md,
        }
    }
}
