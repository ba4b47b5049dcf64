//! TLS for PostgreSQL with rustls (ring provider, no OpenSSL): the connector
//! tokio-postgres drives, and libpq's three levels of checking the server's
//! certificate (none, chain only, chain and host name).

use std::future::Future;
use std::io;
use std::path::{Path, PathBuf};
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use rustls::client::WebPkiServerVerifier;
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::CryptoProvider;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer, ServerName, UnixTime};
use rustls::{CertificateError, ClientConfig, DigitallySignedStruct, RootCertStore, SignatureScheme};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio_postgres::tls::{ChannelBinding, MakeTlsConnect, TlsConnect, TlsStream};

use crate::config::{RootCert, SslMode, TlsSettings};
use crate::error::TlsFailure;

/// What the handshake checks of the server's certificate.
#[derive(Debug)]
enum Check {
    /// Encryption only (`prefer`, `allow`, `require` without a root).
    Nothing,
    /// `verify-ca`: the chain, not the name.
    Chain(Arc<WebPkiServerVerifier>),
    /// `verify-full`.
    Full(Arc<WebPkiServerVerifier>),
}

/// The connector for one [`TlsSettings`]; files are read once, when built.
#[derive(Debug, Clone)]
pub(crate) struct RustlsConnect {
    config: Arc<ClientConfig>,
}

impl RustlsConnect {
    /// Read the root and client certificates the settings name. `Err` is a
    /// message naming the file and what is wrong with it.
    pub(crate) fn new(settings: &TlsSettings) -> Result<RustlsConnect, String> {
        let provider = provider();
        let chain_verifier = |roots: RootCertStore| {
            WebPkiServerVerifier::builder_with_provider(Arc::new(roots), provider.clone())
                .build()
                .map_err(|e| format!("cannot use the root certificates: {e}"))
        };
        let check = match settings.mode {
            SslMode::Disable | SslMode::Allow | SslMode::Prefer => Check::Nothing,
            // libpq: with a root certificate at hand, `require` checks the chain.
            SslMode::Require => match roots(settings, false)? {
                Some(roots) => Check::Chain(chain_verifier(roots)?),
                None => Check::Nothing,
            },
            SslMode::VerifyCa | SslMode::VerifyFull => {
                let roots = roots(settings, true)?.ok_or("no root certificate")?;
                if settings.mode == SslMode::VerifyCa {
                    Check::Chain(chain_verifier(roots)?)
                } else {
                    Check::Full(chain_verifier(roots)?)
                }
            }
        };
        let verifier = Arc::new(Verifier { check, provider: provider.clone() });
        let builder = ClientConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .map_err(|e| format!("TLS set-up failed: {e}"))?
            .dangerous()
            .with_custom_certificate_verifier(verifier);
        let config = match client_identity(settings)? {
            Some((chain, key)) => builder
                .with_client_auth_cert(chain, key)
                .map_err(|e| format!("cannot use the client certificate: {e}"))?,
            None => builder.with_no_client_auth(),
        };
        Ok(RustlsConnect { config: Arc::new(config) })
    }
}

/// The process-wide provider when the program installed one, else ring
/// (chosen over aws-lc-rs for build time: no cmake, no C++).
fn provider() -> Arc<CryptoProvider> {
    #[allow(deprecated)] // deprecated only as a nudge towards aws-lc-rs's post-quantum key exchange
    CryptoProvider::get_default().cloned().unwrap_or_else(|| Arc::new(rustls::crypto::ring::default_provider()))
}

/// The trusted roots: `sslrootcert`, else `~/.postgresql/root.crt` when it
/// exists. `required`: a missing default file is an error (libpq's message).
fn roots(settings: &TlsSettings, required: bool) -> Result<Option<RootCertStore>, String> {
    let path = match &settings.root_cert {
        Some(RootCert::System) => return system_roots().map(Some),
        Some(RootCert::File(path)) => path.clone(),
        None => match settings.dir.as_ref().map(|dir| dir.join("root.crt")) {
            Some(path) if path.exists() => path,
            default => {
                if !required {
                    return Ok(None);
                }
                let shown = default.map_or_else(|| "~/.postgresql/root.crt".to_owned(), |p| p.display().to_string());
                return Err(format!(
                    "sslmode={} needs a root certificate, and the default file {shown} does not exist: \
                     give sslrootcert=PATH (or sslrootcert=system), or use sslmode=require",
                    settings.mode.as_str()
                ));
            }
        },
    };
    let mut store = RootCertStore::empty();
    for (i, cert) in certificates(&path, "sslrootcert")?.into_iter().enumerate() {
        store.add(cert).map_err(|e| format!("certificate {} of sslrootcert {}: {e}", i + 1, path.display()))?;
    }
    Ok(Some(store))
}

fn system_roots() -> Result<RootCertStore, String> {
    let found = rustls_native_certs::load_native_certs();
    let mut store = RootCertStore::empty();
    let (added, _ignored) = store.add_parsable_certificates(found.certs);
    if added == 0 {
        let why = found.errors.first().map(|e| format!(" ({e})")).unwrap_or_default();
        return Err(format!("sslrootcert=system: no root certificate found in the platform's trust store{why}"));
    }
    Ok(store)
}

/// `sslcert`/`sslkey`, else libpq's `~/.postgresql/postgresql.crt` and
/// `.key` when the certificate file exists.
#[allow(clippy::type_complexity)]
fn client_identity(
    settings: &TlsSettings,
) -> Result<Option<(Vec<CertificateDer<'static>>, PrivateKeyDer<'static>)>, String> {
    let in_dir = |name: &str| settings.dir.as_ref().map(|dir| dir.join(name));
    let cert = match &settings.cert {
        Some(path) => path.clone(),
        None => match in_dir("postgresql.crt") {
            Some(path) if path.exists() => path,
            _ => return Ok(None),
        },
    };
    let key: PathBuf = settings
        .key
        .clone()
        .or_else(|| in_dir("postgresql.key"))
        .ok_or_else(|| format!("sslcert {} is given but no sslkey", cert.display()))?;
    let chain = certificates(&cert, "sslcert")?;
    let key = PrivateKeyDer::from_pem_file(&key)
        .map_err(|e| format!("cannot read a private key from sslkey {}: {}", key.display(), pem_error(&e)))?;
    Ok(Some((chain, key)))
}

/// Every certificate of a PEM file; none is an error.
fn certificates(path: &Path, parameter: &str) -> Result<Vec<CertificateDer<'static>>, String> {
    let unreadable =
        |e: rustls::pki_types::pem::Error| format!("cannot read {parameter} {}: {}", path.display(), pem_error(&e));
    let certs =
        CertificateDer::pem_file_iter(path).map_err(unreadable)?.collect::<Result<Vec<_>, _>>().map_err(unreadable)?;
    if certs.is_empty() {
        return Err(format!("{parameter} {} holds no PEM certificate", path.display()));
    }
    Ok(certs)
}

fn pem_error(error: &rustls::pki_types::pem::Error) -> String {
    match error {
        rustls::pki_types::pem::Error::Io(io) => io.to_string(),
        rustls::pki_types::pem::Error::NoItemsFound => "no PEM item of the expected kind".to_owned(),
        other => format!("{other:?}"),
    }
}

#[derive(Debug)]
struct Verifier {
    check: Check,
    provider: Arc<CryptoProvider>,
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
        match &self.check {
            Check::Nothing => Ok(ServerCertVerified::assertion()),
            Check::Full(webpki) => webpki.verify_server_cert(end_entity, intermediates, server_name, ocsp, now),
            // The web PKI verifier checks the name only once the chain is
            // trusted, so a name error here means the chain passed.
            Check::Chain(webpki) => {
                match webpki.verify_server_cert(end_entity, intermediates, server_name, ocsp, now) {
                    Err(rustls::Error::InvalidCertificate(
                        CertificateError::NotValidForName | CertificateError::NotValidForNameContext { .. },
                    )) => Ok(ServerCertVerified::assertion()),
                    other => other,
                }
            }
        }
    }

    // The handshake signatures are checked in every mode: without them even
    // "encryption only" would not bind the session to the certificate's key.
    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(message, cert, dss, &self.provider.signature_verification_algorithms)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(message, cert, dss, &self.provider.signature_verification_algorithms)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.provider.signature_verification_algorithms.supported_schemes()
    }
}

/// A failed handshake, classified; found again in the driver's error chain.
#[derive(Debug)]
pub(crate) struct HandshakeError {
    pub(crate) failure: TlsFailure,
    pub(crate) message: String,
}

impl std::fmt::Display for HandshakeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for HandshakeError {}

impl HandshakeError {
    fn from_io(error: &io::Error) -> HandshakeError {
        let Some(tls) = error.get_ref().and_then(|inner| inner.downcast_ref::<rustls::Error>()) else {
            return HandshakeError { failure: TlsFailure::Handshake, message: error.to_string() };
        };
        let failure = match tls {
            rustls::Error::InvalidCertificate(CertificateError::UnknownIssuer) => TlsFailure::UnknownCa,
            rustls::Error::InvalidCertificate(
                CertificateError::NotValidForName | CertificateError::NotValidForNameContext { .. },
            ) => TlsFailure::HostnameMismatch,
            rustls::Error::InvalidCertificate(_) => TlsFailure::BadCertificate,
            _ => TlsFailure::Handshake,
        };
        HandshakeError { failure, message: tls.to_string() }
    }
}

impl<S> MakeTlsConnect<S> for RustlsConnect
where
    S: AsyncRead + AsyncWrite + Unpin + Send + 'static,
{
    type Stream = RustlsStream<S>;
    type TlsConnect = RustlsConnectOne;
    type Error = HandshakeError;

    fn make_tls_connect(&mut self, domain: &str) -> Result<RustlsConnectOne, HandshakeError> {
        let name = ServerName::try_from(domain.to_owned()).map_err(|e| HandshakeError {
            failure: TlsFailure::Handshake,
            message: format!("{domain:?} is not a host name TLS can check: {e}"),
        })?;
        Ok(RustlsConnectOne { config: self.config.clone(), name })
    }
}

/// The connector for one host.
#[derive(Debug)]
pub(crate) struct RustlsConnectOne {
    config: Arc<ClientConfig>,
    name: ServerName<'static>,
}

type HandshakeFuture<S> = Pin<Box<dyn Future<Output = Result<RustlsStream<S>, HandshakeError>> + Send>>;

impl<S> TlsConnect<S> for RustlsConnectOne
where
    S: AsyncRead + AsyncWrite + Unpin + Send + 'static,
{
    type Stream = RustlsStream<S>;
    type Error = HandshakeError;
    type Future = HandshakeFuture<S>;

    fn connect(self, stream: S) -> HandshakeFuture<S> {
        Box::pin(async move {
            tokio_rustls::TlsConnector::from(self.config)
                .connect(self.name, stream)
                .await
                .map(RustlsStream)
                .map_err(|e| HandshakeError::from_io(&e))
        })
    }
}

/// An encrypted stream as tokio-postgres wants it.
#[derive(Debug)]
pub(crate) struct RustlsStream<S>(tokio_rustls::client::TlsStream<S>);

impl<S: AsyncRead + AsyncWrite + Unpin> AsyncRead for RustlsStream<S> {
    fn poll_read(mut self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &mut ReadBuf<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.0).poll_read(cx, buf)
    }
}

impl<S: AsyncRead + AsyncWrite + Unpin> AsyncWrite for RustlsStream<S> {
    fn poll_write(mut self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &[u8]) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.0).poll_write(cx, buf)
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.0).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.0).poll_shutdown(cx)
    }
}

impl<S: AsyncRead + AsyncWrite + Unpin> TlsStream for RustlsStream<S> {
    // No channel binding: tls-server-end-point needs the hash named by the
    // certificate's signature algorithm, and a wrong one fails SCRAM-PLUS
    // logins; without it tokio-postgres uses plain SCRAM.
    fn channel_binding(&self) -> ChannelBinding {
        ChannelBinding::none()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings(mode: SslMode, dir: &Path) -> TlsSettings {
        TlsSettings { mode, root_cert: None, cert: None, key: None, dir: Some(dir.to_path_buf()) }
    }

    #[test]
    fn verify_modes_need_a_root_and_say_where_they_looked() {
        let dir = std::env::temp_dir().join("schemasync-no-such-dir-for-root-crt");
        let err = RustlsConnect::new(&settings(SslMode::VerifyFull, &dir)).unwrap_err();
        assert!(err.contains("root.crt") && err.contains("sslrootcert=PATH"), "{err}");
        // require and prefer without a root encrypt without checking.
        assert!(RustlsConnect::new(&settings(SslMode::Require, &dir)).is_ok());
        assert!(RustlsConnect::new(&settings(SslMode::Prefer, &dir)).is_ok());
    }
}
