//! TLS for MySQL/MariaDB through mysql_async's rustls support: `ssl-mode`
//! to the driver's `SslOpts`, the fallbacks `preferred` and `verify_ca`
//! need, and the driver's errors told apart (unknown CA, host name, no TLS).

use std::path::Path;

use mysql_async::{Conn, OptsBuilder, SslOpts};
use rustls::pki_types::PrivateKeyDer;
use rustls::pki_types::pem::PemObject;

use crate::error::TlsFailure;
use crate::{MySqlConfig, MySqlError, MySqlSslMode};

/// Open a connection as the config's `ssl-mode` says.
pub(crate) async fn connect(config: &MySqlConfig, opts: OptsBuilder) -> Result<Conn, MySqlError> {
    let Some(ssl) = ssl_opts(config)? else {
        return Conn::new(opts).await.map_err(|e| connect_error(config, &e));
    };
    match Conn::new(opts.clone().ssl_opts(ssl.clone())).await {
        Ok(conn) => Ok(conn),
        Err(mysql_async::Error::Driver(mysql_async::DriverError::NoClientSslFlagFromServer))
            if config.ssl_mode == MySqlSslMode::Preferred =>
        {
            tracing::debug!(target: "schemasync::mysql", server = %config.server(), "server offers no TLS: plain connection (ssl-mode=preferred)");
            Conn::new(opts).await.map_err(|e| connect_error(config, &e))
        }
        Err(e) => match (config.ssl_mode, name_error_names(&e)) {
            // The driver has no "chain only" check, but its verifier tests the
            // name only once the chain is trusted: after a name error, check
            // the chain again under a name the certificate holds.
            (MySqlSslMode::VerifyCa, Some(names)) if !names.is_empty() => {
                let retry = ssl.with_danger_tls_hostname_override(Some(names[0].clone()));
                Conn::new(opts.ssl_opts(retry)).await.map_err(|e| connect_error(config, &e))
            }
            _ => Err(connect_error(config, &e)),
        },
    }
}

/// The driver's TLS options, `None` for a plain connection.
fn ssl_opts(config: &MySqlConfig) -> Result<Option<SslOpts>, MySqlError> {
    let mode = config.ssl_mode;
    if mode == MySqlSslMode::Disabled {
        return Ok(None);
    }
    // The driver reads these files only during the handshake and reports a
    // missing one as a lost connection: name the file here instead.
    for (parameter, path) in [("ssl-ca", &config.ssl_ca), ("ssl-cert", &config.ssl_cert), ("ssl-key", &config.ssl_key)]
    {
        if let Some(path) = path
            && let Err(e) = std::fs::File::open(path)
        {
            return Err(MySqlError::TlsConfig {
                host: config.server(),
                message: format!("cannot read {parameter} {}: {e}", path.display()),
            });
        }
    }
    let mut ssl = SslOpts::default();
    if let (Some(cert), Some(key)) = (&config.ssl_cert, &config.ssl_key) {
        let key = rsa_key(key).map_err(|message| MySqlError::TlsConfig { host: config.server(), message })?;
        ssl = ssl.with_client_identity(Some(mysql_async::ClientIdentity::new(cert.clone().into(), key.into())));
    }
    Ok(Some(match mode {
        MySqlSslMode::Disabled | MySqlSslMode::Preferred | MySqlSslMode::Required => {
            ssl.with_danger_accept_invalid_certs(true)
        }
        MySqlSslMode::VerifyCa | MySqlSslMode::VerifyIdentity => match &config.ssl_ca {
            // Only the CA given, as the MySQL client trusts it.
            Some(ca) => ssl.with_root_certs(vec![ca.clone().into()]).with_disable_built_in_roots(true),
            None => ssl,
        },
    }))
}

/// The client key as the driver can take it: it reads only PKCS#1 RSA keys
/// (PEM `RSA PRIVATE KEY`, or DER), so a PKCS#8 RSA key (`PRIVATE KEY`,
/// what `openssl genpkey` writes) is unwrapped to its PKCS#1 DER here.
fn rsa_key(path: &Path) -> Result<Vec<u8>, String> {
    let key = PrivateKeyDer::from_pem_file(path).map_err(|e| {
        let why = match e {
            rustls::pki_types::pem::Error::Io(io) => io.to_string(),
            _ => "no PEM private key in it".to_owned(),
        };
        format!("cannot read ssl-key {}: {why}", path.display())
    })?;
    let unsupported = || format!("ssl-key {}: only RSA client keys are supported for MySQL", path.display());
    match key {
        PrivateKeyDer::Pkcs1(rsa) => Ok(rsa.secret_pkcs1_der().to_vec()),
        PrivateKeyDer::Pkcs8(pkcs8) => pkcs8_rsa(pkcs8.secret_pkcs8_der()).map(<[u8]>::to_vec).ok_or_else(unsupported),
        _ => Err(unsupported()),
    }
}

/// The PKCS#1 key inside a PKCS#8 `PrivateKeyInfo` whose algorithm is
/// rsaEncryption: `SEQUENCE { INTEGER, SEQUENCE { OID, .. }, OCTET STRING }`.
fn pkcs8_rsa(der: &[u8]) -> Option<&[u8]> {
    const RSA_ENCRYPTION: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01];
    let (info, _) = der_item(der, 0x30)?;
    let (_version, rest) = der_item(info, 0x02)?;
    let (algorithm, rest) = der_item(rest, 0x30)?;
    let (oid, _) = der_item(algorithm, 0x06)?;
    if oid != RSA_ENCRYPTION {
        return None;
    }
    der_item(rest, 0x04).map(|(key, _)| key)
}

/// One DER item of the given tag: its content and what follows it.
fn der_item(input: &[u8], tag: u8) -> Option<(&[u8], &[u8])> {
    let (&first, rest) = input.split_first()?;
    if first != tag {
        return None;
    }
    let (&len, rest) = rest.split_first()?;
    let (len, rest) = if len < 0x80 {
        (usize::from(len), rest)
    } else {
        let count = usize::from(len & 0x7f);
        if count == 0 || count > 4 || rest.len() < count {
            return None;
        }
        let (bytes, rest) = rest.split_at(count);
        (bytes.iter().fold(0usize, |n, b| (n << 8) | usize::from(*b)), rest)
    };
    (rest.len() >= len).then(|| rest.split_at(len))
}

fn connect_error(config: &MySqlConfig, error: &mysql_async::Error) -> MySqlError {
    match classify(error) {
        Some((failure, message)) => MySqlError::Tls { host: config.server(), failure, message },
        None => MySqlError::Connect { host: config.server(), message: MySqlError::server_message(error) },
    }
}

/// The rustls error inside a driver error: handshake failures come as I/O
/// errors wrapping it, set-up failures as the driver's TLS error.
fn rustls_error(error: &mysql_async::Error) -> Option<&rustls::Error> {
    match error {
        mysql_async::Error::Io(mysql_async::IoError::Io(io)) => io.get_ref()?.downcast_ref::<rustls::Error>(),
        mysql_async::Error::Io(mysql_async::IoError::Tls(mysql_async::TlsError::Tls(tls))) => Some(tls),
        _ => None,
    }
}

fn classify(error: &mysql_async::Error) -> Option<(TlsFailure, String)> {
    use rustls::CertificateError as C;
    if let mysql_async::Error::Driver(mysql_async::DriverError::NoClientSslFlagFromServer) = error {
        return Some((TlsFailure::NotSupportedByServer, "the ssl-mode needs TLS".to_owned()));
    }
    let tls = rustls_error(error)?;
    let failure = match tls {
        rustls::Error::InvalidCertificate(C::UnknownIssuer) => TlsFailure::UnknownCa,
        rustls::Error::InvalidCertificate(C::NotValidForName | C::NotValidForNameContext { .. }) => {
            TlsFailure::HostnameMismatch
        }
        rustls::Error::InvalidCertificate(_) => TlsFailure::BadCertificate,
        _ => TlsFailure::Handshake,
    };
    Some((failure, tls.to_string()))
}

/// For a host-name error, the names the certificate was issued for.
fn name_error_names(error: &mysql_async::Error) -> Option<Vec<String>> {
    match rustls_error(error)? {
        rustls::Error::InvalidCertificate(rustls::CertificateError::NotValidForNameContext { presented, .. }) => {
            Some(presented.iter().filter_map(|p| presented_name(p)).collect())
        }
        _ => None,
    }
}

/// A name as rustls lists it (`DnsName("db.example")`, `IpAddress(10.0.0.1)`)
/// in a form a TLS server name can take; a wildcard gets a label of its own.
fn presented_name(presented: &str) -> Option<String> {
    if let Some(dns) = presented.strip_prefix("DnsName(\"").and_then(|r| r.strip_suffix("\")")) {
        return Some(match dns.strip_prefix("*.") {
            Some(rest) => format!("schemasync.{rest}"),
            None => dns.to_owned(),
        });
    }
    let ip = presented.strip_prefix("IpAddress(")?.strip_suffix(')')?;
    ip.parse::<std::net::IpAddr>().ok().map(|ip| ip.to_string())
}

#[cfg(test)]
mod tests {
    use super::{pkcs8_rsa, presented_name};

    #[test]
    fn reads_presented_names() {
        assert_eq!(presented_name("DnsName(\"localhost\")").as_deref(), Some("localhost"));
        assert_eq!(presented_name("DnsName(\"*.db.example\")").as_deref(), Some("schemasync.db.example"));
        assert_eq!(presented_name("IpAddress(127.0.0.1)").as_deref(), Some("127.0.0.1"));
        assert_eq!(presented_name("DirectoryName"), None);
    }

    #[test]
    fn unwraps_only_rsa_pkcs8_keys() {
        // SEQUENCE { INTEGER 0, SEQUENCE { rsaEncryption, NULL }, OCTET STRING { 30 00 } }
        let rsa = [
            0x30, 0x16, 0x02, 0x01, 0x00, 0x30, 0x0d, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01,
            0x05, 0x00, 0x04, 0x02, 0x30, 0x00,
        ];
        assert_eq!(pkcs8_rsa(&rsa), Some(&[0x30, 0x00][..]));
        let mut ec = rsa;
        ec[17] = 0x02;
        assert_eq!(pkcs8_rsa(&ec), None);
        assert_eq!(pkcs8_rsa(&rsa[..10]), None);
    }
}
