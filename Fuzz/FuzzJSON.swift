import Foundation

/// libFuzzer entry for the web service's JSON reader (``JSONValue/parse(_:)``, what `/api/v1/predict`
/// reads request bodies with). Any input must either parse or throw ``JSONSyntaxError`` — never
/// crash, hang or recurse without bound — and a parsed value must write out to text that parses
/// back to the same value.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzJSON(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let bytes = UnsafeBufferPointer(start: data, count: size)
    guard let value = try? JSONValue.parse(bytes) else { return 0 }
    let text = value.serialized
    guard let again = try? JSONValue.parse(Array(text.utf8)) else { fatalError("written JSON does not parse: \(text.prefix(200))") }
    guard again == value else { fatalError("written JSON reads back differently: \(text.prefix(200))") }
    return 0
}
