//! Certificates for TLS tests: a CA of the test's own and the server or
//! client certificates it signs, written as PEM files where a server or a
//! client can read them.

use std::path::{Path, PathBuf};

use rcgen::{
    BasicConstraints, CertificateParams, CertifiedIssuer, DnType, ExtendedKeyUsagePurpose, IsCa, KeyPair,
    KeyUsagePurpose,
};

/// A 2048-bit RSA key (PKCS#8 PEM) for tests only: ring, which rcgen uses
/// here, cannot generate RSA keys, and some clients (mysql_async) take no
/// other kind of client key.
pub const RSA_TEST_KEY_PEM: &str = include_str!("rsa_test_key.pem");

/// A throwaway certificate authority (ECDSA P-256).
#[derive(Debug)]
pub struct TestCa {
    issuer: CertifiedIssuer<'static, KeyPair>,
}

/// A certificate and its private key, in PEM.
#[derive(Debug, Clone)]
pub struct IssuedCert {
    /// The certificate.
    pub cert_pem: String,
    /// Its private key (PKCS#8).
    pub key_pem: String,
}

impl TestCa {
    /// A new CA whose subject is `CN=<name>`.
    ///
    /// # Panics
    /// When rcgen cannot make a key or sign (a broken build).
    pub fn new(name: &str) -> TestCa {
        let mut params = CertificateParams::new(Vec::<String>::new()).expect("CA parameters");
        params.distinguished_name.push(DnType::CommonName, name);
        params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        params.key_usages =
            vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign, KeyUsagePurpose::DigitalSignature];
        let key = KeyPair::generate().expect("CA key");
        TestCa { issuer: CertifiedIssuer::self_signed(params, key).expect("self-signed CA") }
    }

    /// The CA's certificate in PEM (what a client trusts).
    pub fn pem(&self) -> String {
        self.issuer.pem()
    }

    /// A certificate for `names` (host names or IP addresses), usable by a
    /// server and a client.
    ///
    /// # Panics
    /// When a name is not valid in a certificate.
    pub fn issue(&self, names: &[&str]) -> IssuedCert {
        self.issue_with(names, KeyPair::generate().expect("certificate key"))
    }

    /// [`Self::issue`] with the key [`RSA_TEST_KEY_PEM`].
    ///
    /// # Panics
    /// As [`Self::issue`].
    pub fn issue_rsa(&self, names: &[&str]) -> IssuedCert {
        self.issue_with(names, KeyPair::from_pem(RSA_TEST_KEY_PEM).expect("RSA test key"))
    }

    fn issue_with(&self, names: &[&str], key: KeyPair) -> IssuedCert {
        let names: Vec<String> = names.iter().map(|n| (*n).to_owned()).collect();
        let mut params = CertificateParams::new(names.clone()).expect("certificate names");
        params.distinguished_name.push(DnType::CommonName, names.first().map_or("test", String::as_str));
        params.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth, ExtendedKeyUsagePurpose::ClientAuth];
        params.key_usages = vec![KeyUsagePurpose::DigitalSignature];
        let cert = params.signed_by(&key, &self.issuer).expect("sign certificate");
        IssuedCert { cert_pem: cert.pem(), key_pem: key.serialize_pem() }
    }

    /// Write the CA certificate to `dir/<stem>.pem` and return the path.
    ///
    /// # Panics
    /// When the file cannot be written.
    pub fn write(&self, dir: &Path, stem: &str) -> PathBuf {
        let path = dir.join(format!("{stem}.pem"));
        std::fs::write(&path, self.pem()).expect("write CA certificate");
        path
    }
}

impl IssuedCert {
    /// Write `dir/<stem>.crt` and `dir/<stem>.key`; returns both paths.
    ///
    /// # Panics
    /// When the files cannot be written.
    pub fn write(&self, dir: &Path, stem: &str) -> (PathBuf, PathBuf) {
        let cert = dir.join(format!("{stem}.crt"));
        let key = dir.join(format!("{stem}.key"));
        std::fs::write(&cert, &self.cert_pem).expect("write certificate");
        std::fs::write(&key, &self.key_pem).expect("write key");
        (cert, key)
    }
}

/// The test PostgreSQL server's certificate file (`SHOW ssl_cert_file`), to
/// trust as a root where it is self-signed. `None` after one skip line when
/// the server cannot be asked or the file cannot be read (under `CI=true`
/// that panics instead).
pub fn postgres_server_cert() -> Option<PathBuf> {
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
    let asked: Result<String, String> = runtime.block_on(async {
        let (client, connection) =
            tokio_postgres::connect(&crate::postgres_url(), tokio_postgres::NoTls).await.map_err(|e| e.to_string())?;
        let driver = tokio::spawn(connection);
        let row = client.query_one("SHOW ssl_cert_file", &[]).await.map_err(|e| e.to_string());
        drop(client);
        let _ = driver.await;
        Ok(row?.get(0))
    });
    let path = match asked {
        Ok(path) => PathBuf::from(path),
        Err(e) => return crate::skip(&format!("cannot ask PostgreSQL for its certificate ({e})")),
    };
    match std::fs::read(&path) {
        Ok(_) => Some(path),
        Err(e) => crate::skip(&format!("cannot read PostgreSQL's certificate {} ({e})", path.display())),
    }
}
