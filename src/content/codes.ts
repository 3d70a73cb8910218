// Every issue code the loader can report, with a short Vietnamese title for grouped output (`npm run check`)
// and the staff guide (content/README.md lists the same codes).

export interface IssueCodeInfo {
  severity: 'error' | 'warning';
  /** Short Vietnamese title, shown as the group heading. */
  title: string;
}

export const ISSUE_CODES: Readonly<Record<string, IssueCodeInfo>> = Object.freeze({
  // --- errors: the content is not served until they are fixed ---
  'missing-dir': { severity: 'error', title: 'Không tìm thấy thư mục nội dung' },
  'missing-file': { severity: 'error', title: 'Thiếu tệp bắt buộc' },
  'read-error': { severity: 'error', title: 'Không đọc được tệp' },
  'yaml-syntax': { severity: 'error', title: 'Tệp YAML viết sai cú pháp' },
  'bad-file': { severity: 'error', title: 'Tệp không đúng dạng' },
  'missing-field': { severity: 'error', title: 'Thiếu trường bắt buộc' },
  'empty-field': { severity: 'error', title: 'Trường bắt buộc đang để trống' },
  'wrong-type': { severity: 'error', title: 'Giá trị sai kiểu' },
  'bad-value': { severity: 'error', title: 'Giá trị không nằm trong danh sách cho phép' },
  'bad-id': { severity: 'error', title: 'Mã (id) viết sai quy cách' },
  'bad-date': { severity: 'error', title: 'Ngày viết sai' },
  'bad-url': { severity: 'error', title: 'Đường dẫn viết sai' },
  'bad-ward-code': { severity: 'error', title: 'Mã phường/xã viết sai' },
  'bad-synonym': { severity: 'error', title: 'Từ viết tắt khai báo sai' },
  'duplicate-synonym': { severity: 'error', title: 'Từ viết tắt khai báo hai lần' },
  'topic-mismatch': { severity: 'error', title: 'Tên chủ đề khác tên tệp' },
  'no-entries': { severity: 'error', title: 'Chưa có câu hỏi nào' },
  'duplicate-id': { severity: 'error', title: 'Mã bị trùng' },
  'duplicate-ward': { severity: 'error', title: 'Mã phường/xã bị trùng' },
  'unknown-link': { severity: 'error', title: 'Đường dẫn không có trong links.yaml' },
  'unknown-entry': { severity: 'error', title: 'Mục liên quan không tồn tại' },
  'unknown-source': { severity: 'error', title: 'Nguồn không có trong sources.yaml' },
  'no-source': { severity: 'error', title: 'Mục chưa ghi nguồn' },
  'qr-unverified': { severity: 'error', title: 'Mã QR cho đường dẫn chưa đủ tin cậy' },
  'link-status-no-source': { severity: 'error', title: 'Trạng thái đường dẫn chưa ghi nguồn' },
  'district-no-date': { severity: 'error', title: 'Ghi quận, huyện, thị xã mà không ghi ngày' },
  'empty-answer': { severity: 'error', title: 'Câu trả lời để trống' },
  'answer-too-long': { severity: 'error', title: 'Câu trả lời quá 900 ký tự' },
  'too-few-questions': { severity: 'error', title: 'Ít hơn 5 câu hỏi' },
  'duplicate-question': { severity: 'error', title: 'Cùng một câu hỏi ở hai mục' },
  'missing-message': { severity: 'error', title: 'Thiếu lời nhắn trong messages.yaml' },
  'golden-unknown-entry': { severity: 'error', title: 'Câu hỏi thử trỏ tới mục không tồn tại' },
  'golden-conflict': { severity: 'error', title: 'Câu hỏi thử có hai đáp án khác nhau' },
  // --- warnings: the content is served, but someone should look ---
  'missing-optional-file': { severity: 'warning', title: 'Chưa có tệp không bắt buộc' },
  'unknown-field': { severity: 'warning', title: 'Trường lạ (bị bỏ qua)' },
  'ignored-file': { severity: 'warning', title: 'Tệp bị bỏ qua' },
  'superseded-no-replacement': { severity: 'warning', title: 'Văn bản hết hiệu lực chưa ghi văn bản thay thế' },
  'near-duplicate-question': { severity: 'warning', title: 'Câu hỏi gần giống câu của mục khác' },
  'repeated-question': { severity: 'warning', title: 'Câu hỏi lặp lại trong cùng mục' },
  'unverified-link': { severity: 'warning', title: 'Dùng đường dẫn chưa xác minh' },
  'link-legacy-verified': { severity: 'warning', title: 'Đường dẫn còn ghi "verified" thay vì "status"' },
  'as-of-before-reorg': { severity: 'warning', title: 'Thông tin xã, phường, cơ quan trước ngày 01/7/2025' },
  'answer-long': { severity: 'warning', title: 'Câu trả lời dài quá 700 ký tự' },
  'answer-first-line': { severity: 'warning', title: 'Dòng đầu câu trả lời chưa trả lời thẳng' },
  'superseded-only': { severity: 'warning', title: 'Chỉ dẫn văn bản đã hết hiệu lực' },
  'stale-entry': { severity: 'warning', title: 'Lâu chưa xem lại (quá 365 ngày)' },
  'future-date': { severity: 'warning', title: 'Ngày xem lại ở tương lai' },
  'no-plain-question': { severity: 'warning', title: 'Chưa có câu hỏi không dấu' },
  'answer-markdown': { severity: 'warning', title: 'Câu trả lời có ký hiệu định dạng' },
  'related-self': { severity: 'warning', title: 'Mục tự liên quan đến chính nó' },
  'id-prefix': { severity: 'warning', title: 'Mã mục không bắt đầu bằng tên chủ đề' },
  'topic-no-golden': { severity: 'warning', title: 'Chủ đề chưa có câu hỏi thử' },
  'entry-few-golden': { severity: 'warning', title: 'Mục có ít hơn 2 câu hỏi thử' },
  'no-golden': { severity: 'warning', title: 'Chưa có bộ câu hỏi thử' },
  'golden-duplicate': { severity: 'warning', title: 'Câu hỏi thử lặp lại' },
  'golden-copies-question': { severity: 'warning', title: 'Câu hỏi thử chép nguyên câu hỏi của mục' },
});

export function issueTitle(code: string): string {
  return ISSUE_CODES[code]?.title ?? code;
}
