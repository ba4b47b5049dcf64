//! Real storage faults for history tests: a tiny tmpfs that fills up, and
//! one remounted read-only (root ignores file modes, so a chmod proves
//! nothing). Mounting needs root or CAP_SYS_ADMIN: without it, one SKIP line.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;

/// A tmpfs mounted on a fresh temporary directory, unmounted on drop.
pub struct Tmpfs {
    dir: schemasync_testkit::TestDir,
}

impl Tmpfs {
    /// Mount a tmpfs of `size` (`64k`). `None` after a SKIP line (or a
    /// failure under CI) when mounting is not permitted here.
    pub fn mount(size: &str) -> Option<Tmpfs> {
        let dir = schemasync_testkit::TestDir::new();
        let out = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
            .arg(dir.root())
            .output();
        match out {
            Ok(out) if out.status.success() => Some(Tmpfs { dir }),
            Ok(out) => schemasync_testkit::skip(&format!(
                "cannot mount a tmpfs (needs root): {}",
                String::from_utf8_lossy(&out.stderr).trim()
            )),
            Err(e) => schemasync_testkit::skip(&format!("cannot run mount: {e}")),
        }
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path(name)
    }

    pub fn root(&self) -> &Path {
        self.dir.root()
    }

    /// Make the whole file system read-only (EROFS for every write).
    ///
    /// # Panics
    /// When the remount fails although the mount worked.
    pub fn remount_read_only(&self) {
        let out = Command::new("mount").args(["-o", "remount,ro"]).arg(self.dir.root()).output().expect("mount");
        assert!(out.status.success(), "remount read-only: {}", String::from_utf8_lossy(&out.stderr));
    }

    /// Fill the file system until writes fail with ENOSPC.
    pub fn fill(&self) {
        use std::io::Write;
        let mut filler = std::fs::File::create(self.path("filler")).expect("create filler");
        let block = vec![0u8; 1024];
        while filler.write_all(&block).and_then(|()| filler.sync_all()).is_ok() {}
        // A last partial block may still fit.
        let _ = filler.write_all(&[0u8; 1]);
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        // Lazy, so a file still open somewhere does not keep it mounted.
        let _ = Command::new("umount").arg("-l").arg(self.dir.root()).output();
    }
}
