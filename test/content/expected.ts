// The exact lines each broken fixture yields (test/fixtures/content/<case>/). Shared by the loader and CLI tests.

/** case directory → the exact lines (errors when the load fails, warnings when it succeeds). */
export const EXPECTED: Record<string, string[]> = {
  "answer-too-long": [
    "faq/kich-hoat.yaml:29:13 lỗi [answer-too-long]: Câu trả lời của mục \"kich-hoat-otp\" dài 934 ký tự, quá giới hạn 900. Rút gọn 34 ký tự, hoặc tách phần chi tiết sang một mục khác và đưa vào \"related\".",
  ],
  "bad-date": [
    "faq/kich-hoat.yaml:20:14 lỗi [bad-date]: Ngày \"2026-02-30\" ở trường \"updated\" trong mục \"kich-hoat-thoi-han\" không hợp lệ. Viết theo dạng YYYY-MM-DD, ví dụ 2026-01-31 cho ngày 31/01/2026.",
  ],
  "bad-id": [
    "faq/kich-hoat.yaml:21:9 lỗi [bad-id]: Mã mục \"Kich_hoat_OTP\" không hợp lệ. Mã chỉ gồm chữ thường không dấu, số và dấu gạch ngang giữa các từ, ví dụ: kich-hoat-thoi-han.",
  ],
  "bad-url": [
    "links.yaml:4:10 lỗi [bad-url]: Đường dẫn \"vneid.gov.vn\" của đường dẫn \"vneid-web\" không hợp lệ. Viết đầy đủ, bắt đầu bằng https:// (ví dụ https://vneid.gov.vn) hoặc tel: cho số điện thoại (ví dụ tel:19000368), không có dấu cách.",
  ],
  "bad-ward-code": [
    "offices.yaml:10:11 lỗi [bad-ward-code]: Mã phường/xã \"Phường Mẫu\" không hợp lệ. Mã chỉ gồm chữ thường không dấu (a-z), số, dấu gạch ngang \"-\" hoặc gạch dưới \"_\", tối đa 40 ký tự, ví dụ: phuong-ba-dinh.",
  ],
  "currency-warnings": [
    "faq/kich-hoat.yaml:14:13 cảnh báo [answer-long]: Câu trả lời của mục \"kich-hoat-thoi-han\" dài 782 ký tự, quá mức nên có 700 (trung vị nên ≤ 450). Bỏ bớt 82 ký tự: giữ việc cần làm, bỏ phần giải thích, chuyển chi tiết sang mục trong \"related\".",
    "faq/kich-hoat.yaml:30:13 cảnh báo [answer-first-line]: Câu trả lời của mục \"kich-hoat-otp\" bắt đầu ngay bằng bước \"1. …\". Dòng đầu phải trả lời thẳng câu hỏi (ví dụ \"Bạn làm theo 4 bước sau:\" hoặc \"Được, …\"), rồi mới đến các bước.",
    "links.yaml:15:15 cảnh báo [link-legacy-verified]: Đường dẫn \"hotline\" còn ghi \"verified\"; bot đang hiểu là corroborated. Thay bằng \"status: official\" (trang hoặc văn bản chính thức ghi đường dẫn), \"status: corroborated\" (nhiều nguồn độc lập cùng ghi) hoặc \"status: unverified\", kèm \"source: <mã nguồn trong sources.yaml>\".",
    "offices.yaml:8:12 cảnh báo [as-of-before-reorg]: Cơ quan \"ha-noi-qlhc\" có as_of 2023-05-17, trước ngày sắp xếp đơn vị hành chính 01/7/2025 (bỏ cấp quận, huyện; sáp nhập xã, phường; cả nước còn 34 tỉnh, thành phố). Tên và nơi làm thủ tục có thể đã đổi: kiểm tra lại, ghi tên hiện nay và đổi as_of thành ngày xác nhận.",
  ],
  "district-no-date": [
    "offices.yaml:13:13 lỗi [district-no-date]: Phường/xã \"phuong-mau\" ghi \"quận\" ở trường \"office\" nhưng không ghi ngày. Từ 01/7/2025 không còn cấp quận, huyện, thị xã: ghi nơi làm thủ tục hiện nay (Công an cấp xã), và nếu cần nhắc tên cũ thì ghi kèm ngày, ví dụ \"(theo văn bản ngày 17/5/2023; cấp quận không còn từ 01/7/2025)\", ở chính dòng đó hoặc ở \"note\".",
  ],
  "duplicate-id": [
    "faq/khoa-mo.yaml:4:9 lỗi [duplicate-id]: Mã mục \"kich-hoat-otp\" đã dùng ở faq/kich-hoat.yaml:21. Mỗi mục cần một mã riêng: đổi mã này (và các chỗ \"related\" trỏ tới nó) hoặc gộp hai mục.",
  ],
  "duplicate-question": [
    "faq/kich-hoat.yaml:27:9 lỗi [duplicate-question]: Câu hỏi \"Bao lâu phải kích hoạt VNeID?\" (kich-hoat-otp) trùng với câu hỏi của mục \"kich-hoat-thoi-han\" ở faq/kich-hoat.yaml:9 (khi bỏ dấu và viết thường). Bot sẽ không biết chọn mục nào: sửa hoặc xóa một trong hai câu.",
  ],
  "duplicate-ward": [
    "offices.yaml:15:11 lỗi [duplicate-ward]: Mã phường/xã \"phuong-mau\" đã dùng ở dòng 10. Mỗi phường/xã cần một mã riêng (mã này nằm trong đường dẫn và mã QR của áp phích): đổi mã hoặc xóa một dòng.",
  ],
  "empty-answer": [
    "faq/kich-hoat.yaml:29:13 lỗi [empty-answer]: Câu trả lời của mục \"kich-hoat-otp\" đang để trống. Viết câu trả lời (tối đa 900 ký tự) sau \"answer: |\".",
  ],
  "golden-conflict": [
    "golden/kich-hoat.yaml:7:5 lỗi [golden-conflict]: Câu hỏi thử \"Không nhận được mã OTP khi kích hoạt thì làm sao ạ?\" cũng có ở golden/kich-hoat.yaml:5 nhưng trỏ tới mục khác (\"kich-hoat-otp\" và \"kich-hoat-thoi-han\"). Một câu chỉ có một đáp án đúng: sửa hoặc xóa một dòng.",
  ],
  "golden-unknown-entry": [
    "golden/kich-hoat.yaml:6:9 lỗi [golden-unknown-entry]: Câu hỏi thử \"không nhận được mã OTP khi kích hoạt thì làm sao ạ\" trỏ tới mục \"kich-hoat-ma-otp\" không tồn tại. Sửa mã mục cho đúng (xem \"id:\" trong content/faq) hoặc xóa câu này.",
  ],
  "link-status-no-source": [
    "links.yaml:15:13 lỗi [link-status-no-source]: Đường dẫn \"hotline\" ghi \"status: corroborated\" nhưng chưa ghi nguồn chứng minh. Thêm dòng \"source: <mã trong sources.yaml>\" — văn bản hoặc trang đã ghi đường dẫn này.",
  ],
  "missing-field": [
    "faq/kich-hoat.yaml:21:5 lỗi [missing-field]: Thiếu trường \"sources\" trong mục \"kich-hoat-otp\". Thêm một dòng, ví dụ: sources: [nd-69-2024]",
  ],
  "missing-file": [
    "sources.yaml:1:1 lỗi [missing-file]: Thiếu tệp sources.yaml (danh sách nguồn). Tạo tệp này trong thư mục nội dung.",
  ],
  "missing-message": [
    "messages.yaml:2:3 lỗi [missing-message]: Thiếu lời nhắn \"fallback\" trong messages.yaml. Thêm dòng \"  fallback: …\" (xem các lời nhắn khác làm mẫu).",
  ],
  "qr-unverified": [
    "faq/kich-hoat.yaml:17:10 lỗi [qr-unverified]: Mục \"kich-hoat-thoi-han\" tạo mã QR cho đường dẫn \"vneid-ios\" (status: unverified). Chỉ tạo mã QR cho đường dẫn \"official\", hoặc \"corroborated\" dạng https (ví dụ trang tải ứng dụng): xóa \"vneid-ios\" khỏi \"qr\" (có thể giữ trong \"links\").",
  ],
  "qr-unverified-tel": [
    "faq/kich-hoat.yaml:17:10 lỗi [qr-unverified]: Mục \"kich-hoat-thoi-han\" tạo mã QR cho đường dẫn \"hotline\" (status: corroborated). Chỉ tạo mã QR cho đường dẫn \"official\", hoặc \"corroborated\" dạng https (ví dụ trang tải ứng dụng): xóa \"hotline\" khỏi \"qr\" (có thể giữ trong \"links\").",
  ],
  "too-few-questions": [
    "faq/kich-hoat.yaml:23:9 lỗi [too-few-questions]: Mục \"kich-hoat-otp\" mới có 3 câu hỏi, cần ít nhất 5. Thêm các cách hỏi khác của người dân: không dấu, viết tắt (ko, dk, sdt, mk…), hỏi ngắn.",
  ],
  "topic-mismatch": [
    "faq/kich-hoat.yaml:2:8 lỗi [topic-mismatch]: Chủ đề \"kich-hoat-tk\" không trùng tên tệp \"kich-hoat.yaml\". Sửa thành \"topic: kich-hoat\" hoặc đổi tên tệp thành kich-hoat-tk.yaml.",
  ],
  "unknown-entry": [
    "faq/kich-hoat.yaml:34:15 lỗi [unknown-entry]: Mục liên quan \"kich-hoat-mat-khau\" (related của mục \"kich-hoat-otp\") không tồn tại. Kiểm tra chính tả mã mục, hoặc xóa dòng này.",
  ],
  "unknown-field": [
    "faq/kich-hoat.yaml:29:5 cảnh báo [unknown-field]: Trường \"tags\" trong mục \"kich-hoat-otp\" không được dùng và sẽ bị bỏ qua. Kiểm tra chính tả; các trường hợp lệ: id, questions, keywords, answer, links, qr, related, sources, updated, ward_office.",
  ],
  "unknown-link": [
    "faq/kich-hoat.yaml:33:13 lỗi [unknown-link]: Đường dẫn \"zalo-oa\" (links của mục \"kich-hoat-otp\") không có trong links.yaml. Dùng một mã có sẵn (vneid-web, vneid-ios, hotline, vneid-android) hoặc nhờ người phụ trách thêm đường dẫn đã xác minh.",
  ],
  "unknown-source": [
    "faq/kich-hoat.yaml:35:27 lỗi [unknown-source]: Nguồn \"seed-999\" (sources của mục \"kich-hoat-otp\") không có trong sources.yaml. Kiểm tra chính tả, hoặc thêm nguồn đó vào sources.yaml trước (id, title, status).",
  ],
  "unknown-source-offices": [
    "offices.yaml:2:24 lỗi [unknown-source]: Nguồn \"nd-69\" (general_rule_sources trong offices.yaml) không có trong sources.yaml. Kiểm tra chính tả, hoặc thêm nguồn đó vào sources.yaml trước (id, title, status).",
    "offices.yaml:7:13 lỗi [unknown-source]: Nguồn \"seed-100\" (cơ quan \"ha-noi-qlhc\") không có trong sources.yaml. Kiểm tra chính tả, hoặc thêm nguồn đó vào sources.yaml trước (id, title, status).",
    "offices.yaml:14:13 lỗi [unknown-source]: Nguồn \"cong-an-mau\" (phường/xã \"phuong-mau\") không có trong sources.yaml. Kiểm tra chính tả, hoặc thêm nguồn đó vào sources.yaml trước (id, title, status).",
    "sources.yaml:13:20 lỗi [unknown-source]: Nguồn \"nd-70-2024\" (superseded_by của nguồn \"nd-59-2022\") không có trong sources.yaml. Kiểm tra chính tả, hoặc thêm nguồn đó vào sources.yaml trước (id, title, status).",
  ],
  "warnings": [
    "faq/khoa-mo.yaml:2:8 cảnh báo [topic-no-golden]: Chủ đề \"khoa-mo\" chưa có câu hỏi thử nào trong content/golden. Thêm tệp golden/khoa-mo.yaml với vài câu hỏi như người dân gõ.",
    "faq/kich-hoat.yaml:16:24 cảnh báo [unverified-link]: Mục \"kich-hoat-thoi-han\" dùng đường dẫn \"vneid-ios\" chưa được xác minh; bot sẽ ghi \"(chưa xác minh)\" cạnh nó. Nếu được, hãy hướng dẫn người dân cách tự tìm (ví dụ tìm \"VNeID\" trong App Store) thay vì đưa đường dẫn.",
    "faq/kich-hoat.yaml:19:15 cảnh báo [superseded-only]: Mục \"kich-hoat-thoi-han\" chỉ dẫn văn bản đã hết hiệu lực (nd-59-2022). Kiểm tra lại câu trả lời theo quy định hiện hành và thêm nguồn đang có hiệu lực (nd-69-2024).",
    "faq/kich-hoat.yaml:20:14 cảnh báo [stale-entry]: Mục \"kich-hoat-thoi-han\" đã 690 ngày chưa được xem lại (updated: 2025-01-02). Đối chiếu câu trả lời với quy định hiện hành rồi đổi \"updated\" thành ngày hôm nay.",
    "faq/kich-hoat.yaml:23:9 cảnh báo [no-plain-question]: Mục \"kich-hoat-otp\" chưa có câu hỏi nào viết không dấu. Thêm ít nhất một câu như người dân hay gõ, ví dụ \"khong nhan duoc ma otp khi kich hoat thi lam sao\".",
    "faq/kich-hoat.yaml:27:9 cảnh báo [near-duplicate-question]: Câu hỏi \"phải kích hoạt tài khoản định danh điện tử trong bao lâu vậy\" (kich-hoat-otp) gần giống câu \"Phải kích hoạt tài khoản định danh điện tử trong bao lâu?\" của mục \"kich-hoat-thoi-han\" ở faq/kich-hoat.yaml:8 (mức giống 84%). Bot dễ nhầm hai mục: giữ câu này ở mục đúng nhất, sửa hoặc xóa câu kia.",
    "golden/kich-hoat.yaml:5:5 cảnh báo [golden-copies-question]: Câu hỏi thử \"chờ mãi không thấy mã OTP\" giống hệt một câu hỏi của mục \"kich-hoat-otp\" (faq/kich-hoat.yaml:25), nên không kiểm tra được gì. Viết lại theo cách người dân thật sự gõ (không dấu, viết tắt, lời chào đầu câu…).",
  ],
  "wrong-type": [
    "faq/kich-hoat.yaml:16:12 lỗi [wrong-type]: Trường \"links\" trong mục \"kich-hoat-thoi-han\" phải là một danh sách (mỗi dòng bắt đầu bằng \"- \", hoặc viết [a, b]), nhưng đang là một đoạn chữ. Sửa lại giá trị của \"links\".",
  ],
  "wrong-type-colon": [
    "faq/kich-hoat.yaml:25:9 lỗi [wrong-type]: Dòng thứ 3 của \"questions\" trong mục \"kich-hoat-otp\" có dấu hai chấm \": \" nên bị hiểu sai thành \"tên: giá trị\". Đặt cả câu trong ngoặc kép, ví dụ: - \"Cho em hỏi: quên mật khẩu thì sao?\"",
  ],
  "yaml-syntax": [
    "faq/kich-hoat.yaml:15:5 lỗi [yaml-syntax]: Tệp YAML viết sai cú pháp nên không đọc được tệp này. Thụt lề không đều, hoặc thiếu dấu \"]\" đóng danh sách: các trường cùng một mục phải thẳng cột với nhau (dùng dấu cách). (Chi tiết kỹ thuật: Flow sequence in block collection must be sufficiently indented and end with a ])",
  ],
};
