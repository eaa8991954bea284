//! `--format html`: one self-contained page (no external resource) that a
//! DPO can open, print and file: the totals, each file with its findings
//! and their locations, and what could not be read.

use super::{PrintOptions, Printer};
use crate::model::record::FileStatus;
use crate::report::{ErrorRecord, FileRecord, FindingRecord, Record, Summary};
use std::io::{self, Write};

/// The pages' style sheet: plain, and readable printed. Dates do not wrap;
/// each page of a long Détail starts a printed page.
pub(crate) const STYLE: &str = "body{font-family:sans-serif;margin:2em;color:#222}\
    table{border-collapse:collapse;margin:1em 0}\
    td,th{border:1px solid #999;padding:.2em .5em;text-align:left;font-size:90%}\
    th{background:#eee}h2{page-break-after:avoid}tr{page-break-inside:avoid}\
    .n{text-align:right}.d{white-space:nowrap}.meta{color:#555;font-size:90%}\
    h3.page{page-break-before:always}";

/// Rows of the Détail section per page (a heading, a link in its index).
const PAGE_ROWS: usize = 2_000;

/// Beyond this many findings the Détail section stops, saying so and how
/// to get them all (the page stays small enough to open).
const MAX_FINDING_ROWS: usize = 100_000;

/// When, by which version, from which command and over which roots a
/// report was made: the head of every HTML report.
pub(crate) fn provenance(roots: &[String]) -> String {
    let now = chrono::Local::now();
    let roots: Vec<String> = roots
        .iter()
        .map(|r| format!("<li>{}</li>", esc(r)))
        .collect();
    let command = crate::report::command_line();
    format!(
        "<p class=meta>Rapport généré le {date} à {time} par pdscout {version}.{command}</p>\n\
         <p class=meta>Racines analysées :</p><ul class=meta>{roots}</ul>\n",
        date = now.format("%Y-%m-%d"),
        time = now.format("%H:%M:%S"),
        version = env!("CARGO_PKG_VERSION"),
        command = if command.is_empty() {
            String::new()
        } else {
            format!("<br>Commande : <code>{}</code>", esc(command))
        },
        roots = roots.join(""),
    )
}

/// `n` and its noun, singular or plural (`1 fichier`, `2 fichiers`).
pub(crate) fn count(n: u64, one: &str, many: &str) -> String {
    format!("{n} {}", if n < 2 { one } else { many })
}

/// A kind and its count per kind, with the kinds' French names.
pub(crate) fn kinds_fr(findings: &std::collections::BTreeMap<String, u64>) -> String {
    findings
        .iter()
        .map(|(k, n)| format!("{} {n}", crate::model::kind::label(k)))
        .collect::<Vec<_>>()
        .join(", ")
}

/// A file record's status, in French.
fn status_fr(status: Option<FileStatus>) -> &'static str {
    match status {
        None | Some(FileStatus::Ok) => "lu",
        Some(FileStatus::Partial) => "lu en partie",
        Some(FileStatus::Skipped) => "non lu",
        Some(FileStatus::Error) => "illisible",
        Some(FileStatus::Binary) => "binaire",
        Some(FileStatus::Empty) => "vide",
    }
}

/// An inventory run's status, in French.
pub(crate) fn run_status_fr(status: &str) -> &str {
    match status {
        "complete" => "complet",
        "interrupted" => "interrompu",
        "running" => "en cours",
        other => other,
    }
}

/// Findings of sensitive kinds (NIR, IBAN, card…) in a file: the sort key
/// that puts the most sensitive files first.
fn sensitivity(f: &FileRecord, sensitive: &[String]) -> u64 {
    f.findings
        .iter()
        .filter(|(k, _)| sensitive.contains(k))
        .map(|(_, n)| n)
        .sum()
}

pub struct Html {
    out: Box<dyn Write + Send>,
    opts: PrintOptions,
    /// Each finding's file (as shown) and its row, rendered on arrival.
    findings: Vec<(String, String)>,
    /// Findings past [`MAX_FINDING_ROWS`], counted (the page says so).
    left_out: u64,
    files: Vec<FileRecord>,
    errors: Vec<ErrorRecord>,
}

impl Html {
    pub fn new(out: Box<dyn Write + Send>, opts: PrintOptions) -> Self {
        Html {
            out,
            opts,
            findings: Vec::new(),
            left_out: 0,
            files: Vec::new(),
            errors: Vec::new(),
        }
    }

    fn finding_row(&self, f: &FindingRecord) -> String {
        let l = &f.location;
        let mut at = Vec::new();
        if let Some(s) = &l.sheet {
            at.push(format!("feuille {s}"));
        }
        if let Some(c) = &l.cell {
            at.push(format!("cellule {c}"));
        }
        if let Some(p) = l.page {
            at.push(format!("page {p}"));
        }
        if let Some(n) = l.line {
            at.push(format!("ligne {n}"));
        }
        if let Some(c) = l.column {
            at.push(format!("col. {c}"));
        }
        if let Some(p) = &l.json_path {
            at.push(p.clone());
        }
        let value = f.value.as_deref().unwrap_or(&f.masked);
        format!(
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td class=n>{:.2}</td>{}</tr>",
            esc(&display_path(&f.path, &f.entry)),
            esc(&at.join(", ")),
            esc(&crate::model::kind::label(&f.kind)),
            esc(value),
            f.confidence,
            match f.matched {
                Some(m) => format!("<td>{}</td>", esc(match_label(m))),
                None => String::new(),
            }
        )
    }

    fn page(&mut self, s: &Summary) -> io::Result<()> {
        // Most sensitive files first, then by path; the Détail follows
        // the same order (a file's findings stay in reading order).
        let sensitive = crate::model::kind::sensitive();
        self.files.sort_by(|a, b| {
            sensitivity(b, &sensitive)
                .cmp(&sensitivity(a, &sensitive))
                .then_with(|| a.path.cmp(&b.path))
                .then_with(|| a.entry.cmp(&b.entry))
        });
        let rank: std::collections::HashMap<String, usize> = self
            .files
            .iter()
            .enumerate()
            .map(|(i, f)| (display_path(&f.path, &f.entry), i))
            .collect();
        self.findings
            .sort_by_key(|(file, _)| rank.get(file).copied().unwrap_or(usize::MAX));
        self.errors
            .sort_by(|a, b| (&a.path, &a.entry).cmp(&(&b.path, &b.entry)));
        let o = &mut self.out;
        write!(
            o,
            "<!DOCTYPE html>\n<html lang=\"fr\"><head><meta charset=\"utf-8\">\
             <title>pdscout — {title}</title><style>{STYLE}</style></head><body>\n\
             <h1>{heading}</h1>\n{provenance}{request}\
             <p>Analyse de <b>{title}</b> — {files} ({entries} avec les membres \
             d'archives et pièces jointes, {bytes} octets), {with} contenant des données \
             personnelles, {total}, {errors}{interrupted}. Valeurs {masked}.</p>\n",
            title = esc(&self.opts.title),
            heading = if self.opts.subject.is_some() {
                "Demande d'accès ou d'effacement : données d'une personne"
            } else {
                "Inventaire des données personnelles"
            },
            provenance = provenance(&self.opts.roots),
            request = match &self.opts.subject {
                Some(ids) => {
                    let items: Vec<String> = ids
                        .iter()
                        .map(|(k, v)| {
                            format!(
                                "<li>{} : {}</li>",
                                esc(&crate::model::kind::label(k)),
                                esc(v)
                            )
                        })
                        .collect();
                    format!(
                        "<p>Identifiants fournis par la personne (masqués) :</p><ul>{}</ul>\n\
                         <p>« fort » : nom complet ou identifiant unique ; « faible » : nom de \
                         famille seul ou date de naissance seule, à vérifier ; « dossier » : autre \
                         donnée du même enregistrement (ligne de tableau, objet JSON/XML, \
                         paragraphe, message, ligne de journal) sans aucune autre personne.</p>\n",
                        items.join(""),
                    )
                }
                None => String::new(),
            },
            files = count(s.files_scanned, "fichier lu", "fichiers lus"),
            entries = s.entries_scanned,
            bytes = s.bytes_scanned,
            with = count(s.files_with_findings, "fichier", "fichiers"),
            total = count(s.total_findings(), "élément trouvé", "éléments trouvés"),
            errors = count(s.errors, "fichier non lu", "fichiers non lus"),
            interrupted = if s.interrupted {
                " — analyse interrompue, résultats partiels"
            } else {
                ""
            },
            masked = if self.opts.reveal {
                "en clair (--reveal)"
            } else {
                "masquées"
            },
        )?;
        writeln!(
            o,
            "<h2>Par catégorie</h2><table><tr><th>catégorie</th><th>éléments</th></tr>"
        )?;
        for (k, n) in &s.findings {
            writeln!(
                o,
                "<tr><td>{}</td><td class=n>{n}</td></tr>",
                esc(&crate::model::kind::label(k))
            )?;
        }
        writeln!(o, "</table>")?;
        let checklist = self.opts.subject.is_some();
        writeln!(
            o,
            "<h2>Fichiers</h2><p>Les plus sensibles d'abord (NIR, IBAN, cartes), puis par \
             chemin.</p><table><tr><th>fichier</th><th>format</th><th>modifié le</th>\
             <th>catégories</th><th>lecture</th>{}</tr>",
            if checklist {
                "<th>copie transmise</th><th>effacé / anonymisé</th>"
            } else {
                ""
            }
        )?;
        for f in &self.files {
            writeln!(
                o,
                "<tr><td>{}</td><td>{}</td><td class=d>{}</td><td>{}</td><td>{}</td>{}</tr>",
                esc(&display_path(&f.path, &f.entry)),
                esc(&f.format),
                esc(f.modified.as_deref().unwrap_or("")),
                esc(&kinds_fr(&f.findings)),
                esc(status_fr(f.status)),
                if checklist {
                    "<td>☐</td><td>☐</td>"
                } else {
                    ""
                }
            )?;
        }
        writeln!(o, "</table>")?;
        let head = format!(
            "<table><tr><th>fichier</th><th>emplacement</th><th>catégorie</th>\
             <th>valeur</th><th>confiance</th>{}</tr>",
            if checklist {
                "<th>correspondance</th>"
            } else {
                ""
            }
        );
        writeln!(o, "<h2 id=detail>Détail</h2>")?;
        let pages = self.findings.len().div_ceil(PAGE_ROWS);
        if pages > 1 {
            let links: Vec<String> = (1..=pages)
                .map(|p| format!("<a href=\"#detail-{p}\">{p}</a>"))
                .collect();
            writeln!(
                o,
                "<p>{} éléments en {pages} pages de {PAGE_ROWS} : {}</p>",
                self.findings.len(),
                links.join(" ")
            )?;
        }
        for (i, rows) in self.findings.chunks(PAGE_ROWS).enumerate() {
            if pages > 1 {
                writeln!(
                    o,
                    "<h3 class=page id=\"detail-{p}\">Détail, page {p} / {pages}</h3>",
                    p = i + 1
                )?;
            }
            writeln!(o, "{head}")?;
            for (_, row) in rows {
                writeln!(o, "{row}")?;
            }
            writeln!(o, "</table>")?;
        }
        let left_out = self.left_out;
        if left_out > 0 {
            writeln!(
                o,
                "<p><b>{left_out} éléments de plus ne sont pas détaillés ici</b> (au-delà de \
                 {MAX_FINDING_ROWS}, la page deviendrait trop lourde) : \
                 <code>--format csv -o detail.csv</code> les liste tous.</p>"
            )?;
        }
        if !self.errors.is_empty() {
            writeln!(
                o,
                "<h2>Non lus</h2><table><tr><th>fichier</th><th>raison</th></tr>"
            )?;
            for e in &self.errors {
                writeln!(
                    o,
                    "<tr><td>{}</td><td>{}</td></tr>",
                    esc(&display_path(&e.path, &e.entry)),
                    esc(&e.error)
                )?;
            }
            writeln!(o, "</table>")?;
        }
        writeln!(o, "</body></html>")
    }
}

/// The match of a subject finding, in French.
fn match_label(m: &str) -> &str {
    match m {
        "strong" => "fort",
        "weak" => "faible",
        "record" => "dossier",
        other => other,
    }
}

fn display_path(path: &str, entry: &Option<String>) -> String {
    match entry {
        Some(e) => format!("{path} → {e}"),
        None => path.to_string(),
    }
}

/// HTML-escapes text.
pub fn esc(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '&' => o.push_str("&amp;"),
            '"' => o.push_str("&quot;"),
            '\'' => o.push_str("&#39;"),
            c => o.push(c),
        }
    }
    o
}

impl Printer for Html {
    fn record(&mut self, r: &Record) -> io::Result<()> {
        match r {
            Record::Finding(f) => {
                if self.findings.len() < MAX_FINDING_ROWS {
                    let row = self.finding_row(f);
                    self.findings.push((display_path(&f.path, &f.entry), row));
                } else {
                    self.left_out += 1;
                }
            }
            // Files skipped or partly read without findings are in the
            // summary's counts and the error list.
            Record::File(f) if f.findings.is_empty() => {}
            Record::File(f) => self.files.push(f.clone()),
            Record::Error(e) => self.errors.push(e.clone()),
            Record::Summary(s) => self.page(s)?,
        }
        Ok(())
    }
    fn finish(&mut self) -> io::Result<()> {
        self.out.flush()
    }
}
