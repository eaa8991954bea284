//! `--format html`: one self-contained page (no external resource) that a
//! DPO can open, print and file: the totals, each file with its findings
//! and their locations, and what could not be read.

use super::{PrintOptions, Printer};
use crate::report::{ErrorRecord, FileRecord, FindingRecord, Record, Summary};
use std::io::{self, Write};

/// The pages' style sheet: plain, and readable printed.
pub(crate) const STYLE: &str = "body{font-family:sans-serif;margin:2em;color:#222}\
    table{border-collapse:collapse;margin:1em 0}\
    td,th{border:1px solid #999;padding:.2em .5em;text-align:left;font-size:90%}\
    th{background:#eee}h2{page-break-after:avoid}tr{page-break-inside:avoid}\
    .n{text-align:right}";

/// Beyond this many findings the page lists the files only.
const MAX_FINDING_ROWS: usize = 20_000;

pub struct Html {
    out: Box<dyn Write + Send>,
    opts: PrintOptions,
    findings: Vec<FindingRecord>,
    files: Vec<FileRecord>,
    errors: Vec<ErrorRecord>,
}

impl Html {
    pub fn new(out: Box<dyn Write + Send>, opts: PrintOptions) -> Self {
        Html {
            out,
            opts,
            findings: Vec::new(),
            files: Vec::new(),
            errors: Vec::new(),
        }
    }

    fn page(&mut self, s: &Summary) -> io::Result<()> {
        let o = &mut self.out;
        write!(
            o,
            "<!DOCTYPE html>\n<html lang=\"fr\"><head><meta charset=\"utf-8\">\
             <title>pdscout — {title}</title><style>{STYLE}</style></head><body>\n\
             <h1>{heading}</h1>\n{request}\
             <p>Analyse de <b>{title}</b> — {files} fichiers lus ({bytes} octets), \
             {with} fichiers contenant des données personnelles, {total} éléments trouvés, \
             {errors} fichiers non lus{interrupted}. Valeurs {masked}.</p>\n",
            title = esc(&self.opts.title),
            heading = if self.opts.subject.is_some() {
                "Demande d'accès ou d'effacement : données d'une personne"
            } else {
                "Inventaire des données personnelles"
            },
            request = match &self.opts.subject {
                Some(ids) => {
                    let items: Vec<String> = ids
                        .iter()
                        .map(|(k, v)| format!("<li>{} : {}</li>", esc(k), esc(v)))
                        .collect();
                    let roots: Vec<String> = self
                        .opts
                        .roots
                        .iter()
                        .map(|r| format!("<li>{}</li>", esc(r)))
                        .collect();
                    format!(
                        "<p>Recherche faite le {date} avec pdscout {version}, dans :</p><ul>{roots}</ul>\n\
                         <p>Identifiants fournis par la personne (masqués) :</p><ul>{}</ul>\n\
                         <p>« fort » : nom complet ou identifiant unique ; « faible » : nom de \
                         famille seul ou date de naissance seule, à vérifier ; « dossier » : autre \
                         donnée du même enregistrement (ligne de tableau, objet JSON/XML, \
                         paragraphe, message, ligne de journal) sans aucune autre personne.</p>\n",
                        items.join(""),
                        date = chrono::Local::now().format("%Y-%m-%d %H:%M"),
                        version = env!("CARGO_PKG_VERSION"),
                        roots = roots.join(""),
                    )
                }
                None => String::new(),
            },
            files = s.files_scanned,
            bytes = s.bytes_scanned,
            with = s.files_with_findings,
            total = s.total_findings(),
            errors = s.errors,
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
            writeln!(o, "<tr><td>{}</td><td class=n>{n}</td></tr>", esc(k))?;
        }
        writeln!(o, "</table>")?;
        let checklist = self.opts.subject.is_some();
        writeln!(
            o,
            "<h2>Fichiers</h2><table><tr><th>fichier</th><th>format</th><th>modifié le</th>\
             <th>catégories</th>{}</tr>",
            if checklist {
                "<th>copie transmise</th><th>effacé / anonymisé</th>"
            } else {
                ""
            }
        )?;
        for f in &self.files {
            let kinds: Vec<String> = f.findings.iter().map(|(k, n)| format!("{k} {n}")).collect();
            writeln!(
                o,
                "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td>{}</tr>",
                esc(&display_path(&f.path, &f.entry)),
                esc(&f.format),
                esc(f.modified.as_deref().unwrap_or("")),
                esc(&kinds.join(", ")),
                if checklist {
                    "<td>☐</td><td>☐</td>"
                } else {
                    ""
                }
            )?;
        }
        writeln!(o, "</table>")?;
        if self.findings.len() <= MAX_FINDING_ROWS {
            writeln!(
                o,
                "<h2>Détail</h2><table><tr><th>fichier</th><th>emplacement</th><th>catégorie</th>\
                 <th>valeur</th><th>confiance</th>{}</tr>",
                if checklist {
                    "<th>correspondance</th>"
                } else {
                    ""
                }
            )?;
            for f in &self.findings {
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
                let value = f.value.as_deref().unwrap_or(&f.masked);
                writeln!(
                    o,
                    "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td class=n>{:.2}</td>{}</tr>",
                    esc(&display_path(&f.path, &f.entry)),
                    esc(&at.join(", ")),
                    esc(&f.kind),
                    esc(value),
                    f.confidence,
                    match f.matched {
                        Some(m) => format!("<td>{}</td>", esc(match_label(m))),
                        None => String::new(),
                    }
                )?;
            }
            writeln!(o, "</table>")?;
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
                if self.findings.len() <= MAX_FINDING_ROWS {
                    self.findings.push(f.clone());
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
