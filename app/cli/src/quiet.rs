//! Natively, our programs' `msg!` lines (Anchor's "Instruction: X") are `println!`s on the
//! process's stdout. While the in-process chain runs, point stdout at /dev/null so that the
//! report (text or JSON) is the only thing `ngpu` prints there.

use std::io::Write;

pub struct QuietStdout {
    saved: libc::c_int,
}

impl QuietStdout {
    /// Redirects stdout until the guard drops; `None` if it cannot (then nothing changes).
    pub fn new() -> Option<Self> {
        std::io::stdout().flush().ok()?;
        // SAFETY: plain POSIX fd calls on fds this process owns; every result is checked.
        unsafe {
            let saved = libc::dup(libc::STDOUT_FILENO);
            if saved < 0 {
                return None;
            }
            let null = libc::open(c"/dev/null".as_ptr(), libc::O_WRONLY);
            if null < 0 {
                libc::close(saved);
                return None;
            }
            let redirected = libc::dup2(null, libc::STDOUT_FILENO);
            libc::close(null);
            if redirected < 0 {
                libc::close(saved);
                return None;
            }
            Some(Self { saved })
        }
    }
}

impl Drop for QuietStdout {
    fn drop(&mut self) {
        let _ = std::io::stdout().flush();
        // SAFETY: restores the fd saved in `new`.
        unsafe {
            libc::dup2(self.saved, libc::STDOUT_FILENO);
            libc::close(self.saved);
        }
    }
}
