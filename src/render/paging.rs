//! Long lists split into pages of at most [`PAGE_SIZE`] entries: the first at the list's own URL,
//! the others at `page/<n>/` below it, each knowing its neighbours.

use serde::Serialize;

/// The most entries one page lists.
pub const PAGE_SIZE: usize = 100;

/// How many pages a list of `len` entries takes (an empty list still has its first page).
pub fn page_count(len: usize) -> usize {
    len.div_ceil(PAGE_SIZE).max(1)
}

/// The pages of several lists one after the other: how many there are in all.
pub fn total_pages(lengths: impl Iterator<Item = usize>) -> usize {
    lengths.map(page_count).sum()
}

/// The pages of several lists one after the other: which list the n-th page belongs to, and
/// which of its pages it is (0 for the first).
pub fn locate(lengths: impl Iterator<Item = usize>, mut n: usize) -> (usize, usize) {
    for (list, len) in lengths.enumerate() {
        let pages = page_count(len);
        if n < pages {
            return (list, n);
        }
        n -= pages;
    }
    (0, 0)
}

/// The URL of page `page` (0 for the first) of the list at `base` (like `history/2025/`).
pub fn page_url(base: &str, page: usize) -> String {
    match page {
        0 => base.to_string(),
        n => format!("{base}page/{}/", n + 1),
    }
}

/// The positions of `list` that page `page` shows.
pub fn page_slice(list: &[usize], page: usize) -> &[usize] {
    let from = (page * PAGE_SIZE).min(list.len());
    let to = (from + PAGE_SIZE).min(list.len());
    &list[from..to]
}

/// Where a page is in its list, for the pager and `rel="prev"`/`rel="next"` links.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Pager {
    /// 1-based.
    pub page: usize,
    pub pages: usize,
    /// Entries in the whole list.
    pub total: usize,
    /// The 1-based positions of the first and last entry on this page (0 and 0 when empty).
    pub first: usize,
    pub last: usize,
    /// The page before (newer entries) and after (older entries), relative to the site root.
    pub prev_url: Option<String>,
    pub next_url: Option<String>,
}

impl Pager {
    /// Page `page` (0 for the first) of a list of `total` entries at `base`.
    pub fn new(base: &str, page: usize, total: usize) -> Pager {
        let pages = page_count(total);
        let first = (page * PAGE_SIZE).min(total);
        let last = (first + PAGE_SIZE).min(total);
        Pager {
            page: page + 1,
            pages,
            total,
            first: if last > first { first + 1 } else { 0 },
            last,
            prev_url: page.checked_sub(1).map(|p| page_url(base, p)),
            next_url: (page + 1 < pages).then(|| page_url(base, page + 1)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_are_cut_into_pages_of_at_most_page_size() {
        assert_eq!(page_count(0), 1);
        assert_eq!(page_count(PAGE_SIZE), 1);
        assert_eq!(page_count(PAGE_SIZE + 1), 2);
        let lengths = [250, 0, 100];
        assert_eq!(total_pages(lengths.into_iter()), 5);
        let located: Vec<(usize, usize)> = (0..5).map(|n| locate(lengths.into_iter(), n)).collect();
        assert_eq!(located, [(0, 0), (0, 1), (0, 2), (1, 0), (2, 0)]);
    }

    #[test]
    fn a_middle_page_knows_both_neighbours_and_its_range() {
        let pager = Pager::new("history/2025/", 1, 250);
        assert_eq!(
            pager,
            Pager {
                page: 2,
                pages: 3,
                total: 250,
                first: 101,
                last: 200,
                prev_url: Some("history/2025/".into()),
                next_url: Some("history/2025/page/3/".into()),
            }
        );
        let list: Vec<usize> = (0..250).collect();
        assert_eq!(page_slice(&list, 2), &list[200..]);
        assert_eq!(Pager::new("tags/x/", 0, 0).first, 0);
    }
}
