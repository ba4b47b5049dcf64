//! Byte offsets to 1-based line numbers, counted incrementally so that
//! locating every statement of a long script stays linear.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct LineCounter {
    pos: usize,
    line: usize,
}

impl LineCounter {
    pub(crate) fn new() -> Self {
        LineCounter { pos: 0, line: 1 }
    }

    /// The line of byte `offset` in `src`; offsets before the previous query
    /// are counted from the start again.
    pub(crate) fn line_at(&mut self, src: &str, offset: usize) -> usize {
        let offset = offset.min(src.len());
        if offset < self.pos {
            *self = LineCounter::new();
        }
        self.line += src.as_bytes()[self.pos..offset].iter().filter(|&&b| b == b'\n').count();
        self.pos = offset;
        self.line
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_lines_forward_and_backward() {
        let src = "a\nb\n\nc";
        let mut lines = LineCounter::new();
        assert_eq!(lines.line_at(src, 0), 1);
        assert_eq!(lines.line_at(src, 2), 2);
        assert_eq!(lines.line_at(src, 5), 4);
        assert_eq!(lines.line_at(src, 1), 1);
        assert_eq!(lines.line_at(src, 99), 4);
    }
}
