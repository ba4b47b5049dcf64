//! How a TLS connection to a server failed (the engines classify their
//! drivers' errors into it).

/// Why a TLS connection failed, for callers that react differently (a
/// wrong root certificate versus a wrong host name). Shared by the
/// PostgreSQL and MySQL engines.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum TlsFailure {
    /// The certificate does not chain to a trusted root (unknown CA).
    UnknownCa,
    /// The certificate chains to a trusted root but is not issued for the
    /// host connected to.
    HostnameMismatch,
    /// TLS was required and the server does not offer it.
    NotSupportedByServer,
    /// The certificate was refused for another reason (expired, not yet
    /// valid, wrong purpose, bad signature).
    BadCertificate,
    /// The handshake failed otherwise (protocol, the server refused the
    /// client certificate).
    Handshake,
}

impl std::fmt::Display for TlsFailure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            TlsFailure::UnknownCa => "unknown CA: the server's certificate is not signed by a trusted root certificate",
            TlsFailure::HostnameMismatch => {
                "host name mismatch: the server's certificate is not issued for the host name connected to"
            }
            TlsFailure::NotSupportedByServer => "the server does not support TLS",
            TlsFailure::BadCertificate => "the server's certificate was refused",
            TlsFailure::Handshake => "the TLS handshake failed",
        })
    }
}
