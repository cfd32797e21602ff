import Foundation
import Testing
@testable import BallastServer

@Suite("Server form parsing")
struct FormDataTests {
    @Test("URL-encoded fields decode + and percent escapes; bad escapes are refused")
    func urlEncoded() {
        let fields = FormData.urlEncoded(Array("a=1&b=x+y%21&c=&a=2&d".utf8))
        #expect(fields == ["a": "1", "b": "x y!", "c": "", "d": ""])
        #expect(FormData.urlEncoded(Array("a=%zz".utf8)) == nil)
    }

    @Test("Multipart bodies: fields and files; malformed bodies give nil, never a crash")
    func multipart() throws {
        let body = Array("--XX\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\nabc\r\n--XX\r\nContent-Disposition: form-data; name=\"file\"; filename=\"f.csv\"\r\n\r\nx,y\r\n1,2\r\n--XX--\r\n".utf8)
        let parts = try #require(FormData.multipart(body, boundary: "XX"))
        #expect(String(decoding: parts["csrf"]!.body, as: UTF8.self) == "abc")
        #expect(parts["file"]?.fileName == "f.csv")
        #expect(String(decoding: parts["file"]!.body, as: UTF8.self) == "x,y\r\n1,2")
        for n in 0..<body.count { _ = FormData.multipart(Array(body.prefix(n)), boundary: "XX") }
        #expect(FormData.multipart(Array(body.prefix(body.count - 8)), boundary: "XX") == nil)
        #expect(FormData.boundary(contentType: "multipart/form-data; boundary=\"abc\"") == "abc")
        let quoted = Array("--B\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a; b \\\"c\\\".csv\"\r\n\r\nx\r\n--B--\r\n".utf8)
        #expect(FormData.multipart(quoted, boundary: "B")?["file"]?.fileName == "a; b \"c\".csv")
        #expect(FormData.boundary(contentType: "text/plain") == nil)
    }
}
