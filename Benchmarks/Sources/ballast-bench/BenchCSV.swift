import BallastCore
import BallastData

/// `ballast-bench csv PATH [REPEATS] [nsl-kdd|csv|csv-header]`: seconds to load a file into a typed
/// Table, best of REPEATS, and the process's peak RSS (`csv`: no header row; `csv-header`: the first
/// row names the columns).
func benchCSV(_ arguments: [String]) throws {
    guard let path = arguments.first else { throw BenchError("usage: ballast-bench csv PATH [REPEATS] [nsl-kdd|csv|csv-header]") }
    let repeats = arguments.count > 1 ? Int(arguments[1]) ?? 5 : 5
    let format = arguments.count > 2 ? arguments[2] : "csv"
    var best = Double.infinity
    var rows = 0, columns = 0
    for _ in 0..<max(1, repeats) {
        let t = try seconds {
            if format == "nsl-kdd" {
                let data = try NSLKDD.load(path: path)
                rows = data.rowCount
                columns = data.features.columns.count
            } else {
                let table = try CSVReader.read(contentsOf: path, options: format == "csv-header" ? CSVOptions() : CSVOptions(header: .absent)).table
                rows = table.rowCount
                columns = table.columns.count
            }
        }
        best = min(best, t)
    }
    report(["benchmark": "csv", "format": format, "seconds": best, "rows": rows, "columns": columns,
            "peak_rss_bytes": ProcessMemory.peakResidentBytes()])
}
