//! Transitive groups of articles: the one place pairs of "these belong together" become
//! groups (near-duplicates, voices, stories joined by reuse), with petgraph's union-find.

use petgraph::unionfind::UnionFind;

/// The groups that `pairs` join `0..n` into, transitively; singletons included. Each group is
/// sorted and the groups are ordered by their first member, whatever the order of `pairs`.
pub fn connected(n: usize, pairs: impl IntoIterator<Item = (usize, usize)>) -> Vec<Vec<usize>> {
    let mut sets = UnionFind::<usize>::new(n);
    for (a, b) in pairs {
        if a < n && b < n {
            sets.union(a, b);
        }
    }
    let labels = sets.into_labeling();
    let mut first_of_label = vec![usize::MAX; n];
    let mut out: Vec<Vec<usize>> = Vec::new();
    for (d, &label) in labels.iter().enumerate() {
        if first_of_label[label] == usize::MAX {
            first_of_label[label] = out.len();
            out.push(Vec::new());
        }
        out[first_of_label[label]].push(d);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pairs_join_transitively() {
        assert_eq!(
            connected(5, [(3, 1), (1, 4)]),
            vec![vec![0], vec![1, 3, 4], vec![2]]
        );
        assert_eq!(connected(2, []), vec![vec![0], vec![1]]);
    }
}
