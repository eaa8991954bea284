//! TLS of the PostgreSQL inventory, libpq's way: `sslmode` (`disable`,
//! `allow`, `prefer` — the default —, `require`, `verify-ca`,
//! `verify-full`), `sslrootcert` (a PEM file, or `system` for the system's
//! store), `sslcert` and `sslkey` (a client certificate) in the URL.
//!
//! rustls with the ring provider, so a build needs no system OpenSSL. As in
//! libpq: `prefer` tries TLS, then the clear when the server has no TLS or
//! refuses the TLS session; `allow` the other way round; `require` checks
//! no certificate unless `sslrootcert` is given (then it is `verify-ca`);
//! unix sockets never use TLS. Unlike libpq, `verify-*` without
//! `sslrootcert` trusts `~/.postgresql/root.crt` when it exists, else the
//! system's store (libpq refuses).

use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::client::WebPkiServerVerifier;
use rustls::crypto::{verify_tls12_signature, verify_tls13_signature, CryptoProvider};
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer, ServerName, UnixTime};
use rustls::{
    CertificateError, ClientConfig, DigitallySignedStruct, RootCertStore, SignatureScheme,
};
use std::path::PathBuf;
use std::sync::Arc;
use tokio_postgres_rustls::MakeRustlsConnect;

/// libpq's `sslmode`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SslMode {
    Disable,
    Allow,
    Prefer,
    Require,
    VerifyCa,
    VerifyFull,
}

/// The TLS parameters of a `--db` URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tls {
    pub mode: SslMode,
    pub root_cert: Option<String>,
    pub cert: Option<PathBuf>,
    pub key: Option<PathBuf>,
}

/// Why the TLS settings of a `--db` URL cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum TlsError {
    #[error("sslmode={0}: not one of disable, allow, prefer, require, verify-ca, verify-full")]
    Mode(String),
    /// A certificate or key file that cannot be read.
    #[error("{param} {}: {source}", path.display())]
    File {
        param: &'static str,
        path: PathBuf,
        source: rustls::pki_types::pem::Error,
    },
    #[error("sslrootcert {}: no certificate in it", .0.display())]
    NoRoot(PathBuf),
    #[error("sslrootcert=system: the system has no trusted certificates")]
    NoSystemRoots,
    #[error("sslcert and sslkey go together")]
    HalfPair,
    /// The TLS library refused the settings (`what`: which of them).
    #[error("{what}: {source}")]
    Refused {
        what: &'static str,
        source: Box<dyn std::error::Error + Send + Sync>,
    },
}

/// The URL without its TLS parameters (the driver knows only three modes
/// and no certificate files), and those parameters.
pub fn split_url(url: &str) -> Result<(String, Tls), TlsError> {
    let mut tls = Tls {
        mode: SslMode::Prefer,
        root_cert: None,
        cert: None,
        key: None,
    };
    let Some((base, query)) = url.split_once('?') else {
        return Ok((url.to_string(), tls));
    };
    let mut kept = Vec::new();
    for pair in query.split('&').filter(|p| !p.is_empty()) {
        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
        let value = || percent_decode(v);
        match k {
            "sslmode" => {
                tls.mode = match value().as_str() {
                    "disable" => SslMode::Disable,
                    "allow" => SslMode::Allow,
                    "prefer" => SslMode::Prefer,
                    "require" => SslMode::Require,
                    "verify-ca" => SslMode::VerifyCa,
                    "verify-full" => SslMode::VerifyFull,
                    other => return Err(TlsError::Mode(other.to_string())),
                }
            }
            "sslrootcert" => tls.root_cert = Some(value()),
            "sslcert" => tls.cert = Some(value().into()),
            "sslkey" => tls.key = Some(value().into()),
            _ => kept.push(pair),
        }
    }
    if tls.mode == SslMode::Require && tls.root_cert.is_some() {
        tls.mode = SslMode::VerifyCa;
    }
    if kept.is_empty() {
        Ok((base.to_string(), tls))
    } else {
        Ok((format!("{base}?{}", kept.join("&")), tls))
    }
}

/// `%2F` → `/` (a path in a URL's query is percent-encoded).
fn percent_decode(s: &str) -> String {
    crate::model::fold::hex_unescape(s, b'%', false)
}

/// The connector of `tls` (for any mode but `disable`).
pub fn connector(tls: &Tls) -> Result<MakeRustlsConnect, TlsError> {
    let refused = |what: &'static str| {
        move |e: Box<dyn std::error::Error + Send + Sync>| TlsError::Refused { what, source: e }
    };
    // ring rather than aws-lc-rs: it builds with a C compiler alone (no
    // cmake); its missing post-quantum key exchange is why it is deprecated.
    #[allow(deprecated)]
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let verifier: Arc<dyn ServerCertVerifier> = match tls.mode {
        SslMode::VerifyCa | SslMode::VerifyFull => {
            let roots = Arc::new(roots(tls.root_cert.as_deref())?);
            let webpki = WebPkiServerVerifier::builder_with_provider(roots, provider.clone())
                .build()
                .map_err(|e| refused("sslrootcert")(e.into()))?;
            Arc::new(Verifier {
                provider: provider.clone(),
                chain: Some(webpki),
                check_name: tls.mode == SslMode::VerifyFull,
            })
        }
        _ => Arc::new(Verifier {
            provider: provider.clone(),
            chain: None,
            check_name: false,
        }),
    };
    let builder = ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| refused("TLS versions")(e.into()))?
        .dangerous()
        .with_custom_certificate_verifier(verifier);
    let config = match (&tls.cert, &tls.key) {
        (Some(cert), Some(key)) => {
            let certs = CertificateDer::pem_file_iter(cert)
                .and_then(|c| c.collect::<Result<Vec<_>, _>>())
                .map_err(|source| TlsError::File {
                    param: "sslcert",
                    path: cert.clone(),
                    source,
                })?;
            let key = PrivateKeyDer::from_pem_file(key).map_err(|source| TlsError::File {
                param: "sslkey",
                path: key.clone(),
                source,
            })?;
            builder
                .with_client_auth_cert(certs, key)
                .map_err(|e| refused("sslcert/sslkey")(e.into()))?
        }
        (None, None) => builder.with_no_client_auth(),
        _ => return Err(TlsError::HalfPair),
    };
    Ok(MakeRustlsConnect::new(config))
}

/// The trusted roots: `sslrootcert=FILE`, `system`, or by default
/// `~/.postgresql/root.crt` when it exists, else the system's store.
fn roots(root_cert: Option<&str>) -> Result<RootCertStore, TlsError> {
    let default = std::env::var_os("HOME")
        .map(|h| PathBuf::from(h).join(".postgresql/root.crt"))
        .filter(|p| p.is_file());
    let mut store = RootCertStore::empty();
    let file = match root_cert {
        Some("system") => None,
        Some(f) => Some(PathBuf::from(f)),
        None => default,
    };
    match file {
        Some(f) => {
            let certs = CertificateDer::pem_file_iter(&f)
                .and_then(|c| c.collect::<Result<Vec<_>, _>>())
                .map_err(|source| TlsError::File {
                    param: "sslrootcert",
                    path: f.clone(),
                    source,
                })?;
            let (added, _) = store.add_parsable_certificates(certs);
            if added == 0 {
                return Err(TlsError::NoRoot(f));
            }
        }
        None => {
            let found = rustls_native_certs::load_native_certs();
            store.add_parsable_certificates(found.certs);
            if store.is_empty() {
                return Err(TlsError::NoSystemRoots);
            }
        }
    }
    Ok(store)
}

/// The server's certificate check of a mode: none (`prefer`, `require`:
/// encryption only, as in libpq), its chain (`verify-ca`), its chain and
/// name (`verify-full`). Handshake signatures are always checked.
#[derive(Debug)]
struct Verifier {
    provider: Arc<CryptoProvider>,
    chain: Option<Arc<WebPkiServerVerifier>>,
    check_name: bool,
}

impl ServerCertVerifier for Verifier {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        let Some(chain) = &self.chain else {
            return Ok(ServerCertVerified::assertion());
        };
        // webpki checks the chain before the name: a name error means the
        // chain is good, which is all `verify-ca` asks.
        match chain.verify_server_cert(end_entity, intermediates, server_name, ocsp, now) {
            Err(rustls::Error::InvalidCertificate(
                CertificateError::NotValidForName | CertificateError::NotValidForNameContext { .. },
            )) if !self.check_name => Ok(ServerCertVerified::assertion()),
            other => other,
        }
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        verify_tls12_signature(
            message,
            cert,
            dss,
            &self.provider.signature_verification_algorithms,
        )
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        verify_tls13_signature(
            message,
            cert,
            dss,
            &self.provider.signature_verification_algorithms,
        )
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.provider
            .signature_verification_algorithms
            .supported_schemes()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tls_parameters_leave_the_url() {
        let (url, tls) = split_url(
            "postgres://u@h:5433/db?sslmode=verify-full&application_name=x&sslrootcert=%2Fetc%2Fca.pem",
        )
        .unwrap();
        assert_eq!(url, "postgres://u@h:5433/db?application_name=x");
        assert_eq!(tls.mode, SslMode::VerifyFull);
        assert_eq!(tls.root_cert.as_deref(), Some("/etc/ca.pem"));
        let (url, tls) = split_url("postgres://u@h/db?sslmode=require&sslrootcert=ca.pem").unwrap();
        assert_eq!(url, "postgres://u@h/db");
        assert_eq!(
            tls.mode,
            SslMode::VerifyCa,
            "libpq: a root cert makes require verify"
        );
        assert_eq!(
            split_url("postgres://u@h/db").unwrap().1.mode,
            SslMode::Prefer
        );
        assert!(split_url("postgres://h/db?sslmode=maybe").is_err());
    }
}
