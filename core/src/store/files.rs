//! Files the core creates: with the permissions any program's new file gets under the umask,
//! and, for a session shared by several OS accounts, readable and writable by the file's group.

use std::path::Path;

use crate::error::{Error, Result};

/// A new file under a temporary name in `dir`, to be renamed into place when it is whole. It
/// is created as any program creates a file, with the permissions the umask leaves of
/// read and write for all (0644 under the usual umask 022, 0664 under 002), not the owner-only
/// 0600 of a temporary file, so that a workspace, its WAL and SHM files (which SQLite gives the
/// workspace's permissions), an export and a rejects file can be shared like any other file.
pub(crate) fn new_file_in(dir: &Path, prefix: &str) -> std::io::Result<tempfile::NamedTempFile> {
    let mut builder = tempfile::Builder::new();
    builder.prefix(prefix);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(std::fs::Permissions::from_mode(0o666));
    }
    builder.tempfile_in(dir)
}

/// Lets the file's group read and write the workspace, whatever the umask gave it: for a
/// session of several OS accounts in one group. SQLite gives the WAL and SHM files the
/// workspace's permissions when it creates them.
pub fn share_with_group(path: &Path) -> Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let fail = |e: std::io::Error| Error::Write {
            path: path.to_path_buf(),
            reason: format!("cannot let its group read and write it: {}", e.kind()),
        };
        for suffix in ["", "-wal", "-shm"] {
            let mut file = path.as_os_str().to_owned();
            file.push(suffix);
            let Ok(meta) = std::fs::metadata(&file) else {
                continue;
            };
            let mode = meta.permissions().mode() | 0o060;
            std::fs::set_permissions(&file, std::fs::Permissions::from_mode(mode)).map_err(fail)?;
        }
    }
    Ok(())
}

/// The names of the workspace files (`*.huishen`) in `dir`, sorted, for a message about a
/// folder given as a workspace.
pub fn workspaces_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".huishen"))
        .collect();
    names.sort();
    names
}
