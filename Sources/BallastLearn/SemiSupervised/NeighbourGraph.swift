import BallastCore

/// The k-nearest-neighbour graph of the manifold term: directed edges from every row to its `k`
/// nearest other rows (exact Euclidean search, ``NearestNeighbors``), over labelled and unlabelled
/// rows together.
///
/// Pulling the posteriors of the two ends of an edge together is a stochastic form of the graph
/// Laplacian penalty `Σ_(i,j)∈E ‖p(·|x_i) − p(·|x_j)‖²` of manifold regularisation (Belkin, Niyogi &
/// Sindhwani, 2006): labels spread along dense regions of the data instead of across gaps.
struct NeighbourGraph: Sendable {
    /// The rows the edges index.
    let rows: Matrix
    /// Edge sources (indices into `rows`).
    let sources: [Int32]
    /// Edge targets (indices into `rows`).
    let targets: [Int32]

    /// The graph of `rows` with `k` neighbours per row (fewer when there are not enough rows).
    /// - Throws: ``NeighborSearchError`` (not expected for finite rows).
    init(rows: Matrix, k: Int) throws {
        self.rows = rows
        let neighbours = min(k, rows.rows - 1)
        guard neighbours >= 1 else {
            sources = []
            targets = []
            return
        }
        let list = try NearestNeighbors.searchWithin(rows, k: neighbours)
        var s: [Int32] = [], t: [Int32] = []
        s.reserveCapacity(list.indices.count)
        t.reserveCapacity(list.indices.count)
        for q in 0..<list.count {
            for j in list.neighbors(of: q) where j >= 0 {
                s.append(Int32(q))
                t.append(j)
            }
        }
        sources = s
        targets = t
    }

    /// Number of edges.
    var edgeCount: Int { sources.count }
}
