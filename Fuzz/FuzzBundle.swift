import BallastCore
import Foundation

/// libFuzzer entry for ``ModelBundle/decode(_:path:)``. With a first byte of 0 the rest is a JSON
/// payload that is given a valid header and checksum first (as an attacker re-signing an edited
/// bundle would), so the fuzzer reaches the decoders instead of the checksum; otherwise the rest is
/// the whole file. A bundle that decodes must predict and map rows back without crashing, and
/// re-encode to a bundle that decodes again.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzBundle(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    guard size >= 1 else { return 0 }
    let rest = Data(UnsafeBufferPointer(start: data + 1, count: size - 1))
    let bytes = data[0] == 0
        ? Data("\(ModelBundle.magic) \(ModelBundle.currentFormatVersion)\nsha256 \(SHA256.hex(rest))\n".utf8) + rest
        : rest
    guard let bundle = try? ModelBundle.decode(bytes, path: "fuzz") else { return 0 }
    var zeros = Matrix(rows: 3, columns: bundle.preprocessor.outputWidth)
    if let p = try? bundle.model.predictProbabilities(zeros), p.rows != 3 || p.columns != bundle.classNames.count {
        fatalError("probabilities of shape \(p.rows)×\(p.columns) for 3 rows and \(bundle.classNames.count) classes")
    }
    _ = try? bundle.preprocessor.inverseTransform(zeros)
    bundle.preprocessor.snap(&zeros)
    guard let again = try? bundle.encoded(), (try? ModelBundle.decode(again, path: "fuzz")) != nil else {
        fatalError("a decoded bundle does not survive re-encoding")
    }
    return 0
}
