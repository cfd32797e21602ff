import BallastData
import Foundation

/// libFuzzer entry for `ballast experiment merge`: the input is two shards' `results.json`
/// separated by the byte 0x1E (a third part, if any, is ignored). Each part is decoded as the merge
/// decodes a shard directory's file; what decodes is merged (both shards, and the first alone), and
/// every decoded or merged result is rendered as the output files render it (CSV, Markdown summary,
/// HTML report, JSON). None of it may crash, whatever a shard directory holds.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzMerge(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let bytes = UnsafeBufferPointer(start: data, count: size)
    let cut = bytes.firstIndex(of: 0x1E) ?? size
    let rest = cut < size ? bytes[(cut + 1)...] : bytes[size...]
    let end = rest.firstIndex(of: 0x1E) ?? size
    guard let first = try? ExperimentMerge.decode(Data(bytes[..<cut]), path: "a/results.json") else { return 0 }
    render(first)
    var shards = [(directory: "a", results: first)]
    if let second = try? ExperimentMerge.decode(Data(bytes[rest.startIndex..<end]), path: "b/results.json") {
        render(second)
        shards.append((directory: "b", results: second))
    }
    if let merged = try? ExperimentMerge.merge(shards) { render(merged) }
    if shards.count == 2, let alone = try? ExperimentMerge.merge([shards[0]]) { render(alone) }
    return 0
}

/// Every output file's text of `results` (written nowhere).
private func render(_ results: ExperimentResults) {
    _ = results.csv()
    _ = results.markdownSummary()
    _ = ExperimentReport(results: results).html()
    _ = ExperimentOutput.json(results)
}
