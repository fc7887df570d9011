<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN" sourcelanguage="en">
<context>
    <name>BalancePanel</name>
    <message>
        <source>Balance brought in</source>
        <translation>期初余额</translation>
    </message>
    <message>
        <source>Prepaid</source>
        <translation>预存</translation>
    </message>
    <message>
        <source>Paid bill %1</source>
        <translation>抵扣 %1 账单</translation>
    </message>
    <message>
        <source>Prepayment reversed</source>
        <translation>预存冲正</translation>
    </message>
    <message>
        <source>Back from void bill %1</source>
        <translation>作废 %1 账单退回</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>Account no.</source>
        <translation>户号</translation>
    </message>
    <message>
        <source>Movement</source>
        <translation>摘要</translation>
    </message>
    <message>
        <source>Quantity</source>
        <translation>电/水量</translation>
    </message>
    <message>
        <source>Amount</source>
        <translation>金额</translation>
    </message>
    <message>
        <source>Balance</source>
        <translation>余额</translation>
    </message>
    <message>
        <source>Receipt / bill</source>
        <translation>收据号/账单号</translation>
    </message>
</context>
<context>
    <name>OpenShiftDialog</name>
    <message>
        <source>Open shift</source>
        <translation>开班</translation>
    </message>
    <message>
        <source>Opening float (yuan):</source>
        <translation>备用金（元）：</translation>
    </message>
</context>
<context>
    <name>PaymentDialog</name>
    <message>
        <source>Take payment (F4) — %1</source>
        <translation>收费 (F4) — %1</translation>
    </message>
    <message>
        <source>Period</source>
        <translation>周期</translation>
    </message>
    <message>
        <source>Usage</source>
        <translation>用量</translation>
    </message>
    <message>
        <source>Charges</source>
        <translation>电费</translation>
    </message>
    <message>
        <source>Late fee</source>
        <translation>违约金</translation>
    </message>
    <message>
        <source>Due</source>
        <translation>缴费期限</translation>
    </message>
    <message>
        <source>Owed %1 · prepaid balance %2</source>
        <translation>应缴 %1 · 预存余额 %2</translation>
    </message>
    <message>
        <source>Amount (yuan)</source>
        <translation>收费金额（元）</translation>
    </message>
    <message>
        <source>Customer %1, account %2</source>
        <translation>客户 %1，户号 %2</translation>
    </message>
    <message>
        <source>Method</source>
        <translation>缴费方式</translation>
    </message>
    <message>
        <source>Cash tendered</source>
        <translation>实收现金</translation>
    </message>
    <message>
        <source>Terminal / transaction ref.</source>
        <translation>终端参考号/交易流水号</translation>
    </message>
    <message>
        <source>Back</source>
        <translation>返回</translation>
    </message>
    <message>
        <source>Continue (Enter)</source>
        <translation>继续 (回车)</translation>
    </message>
    <message>
        <source>Cancel (Esc)</source>
        <translation>取消 (Esc)</translation>
    </message>
    <message>
        <source>Change %1</source>
        <translation>找零 %1</translation>
    </message>
    <message>
        <source>The cash tendered is less than the amount.</source>
        <translation>实收现金少于收费金额。</translation>
    </message>
    <message>
        <source>Take %1 by %2</source>
        <translation>以%2收取 %1</translation>
    </message>
    <message>
        <source>Tendered %1, change %2</source>
        <translation>实收 %1，找零 %2</translation>
    </message>
    <message>
        <source>%1 goes to the prepaid balance</source>
        <translation>其中 %1 转入预存余额</translation>
    </message>
    <message>
        <source>%1 stays owed</source>
        <translation>仍欠 %1</translation>
    </message>
    <message>
        <source>Press Enter to confirm and print the receipt.</source>
        <translation>按回车确认并打印收据。</translation>
    </message>
</context>
<context>
    <name>PaymentsPlugin</name>
    <message>
        <source>No open shift</source>
        <translation>未开班</translation>
    </message>
    <message>
        <source>Reprint receipt</source>
        <translation>重打收据</translation>
    </message>
    <message>
        <source>Reverse…</source>
        <translation>冲正…</translation>
    </message>
    <message>
        <source>reversed</source>
        <translation>已冲正</translation>
    </message>
    <message>
        <source>Open your shift now?</source>
        <translation>现在开班吗？</translation>
    </message>
    <message>
        <source>Payments are taken in your shift, and your shift is not open: the float is counted at its close.</source>
        <translation>收费记入您的班次，而您还没有开班：交班时会清点备用金。</translation>
    </message>
    <message>
        <source>reversal</source>
        <translation>冲正</translation>
    </message>
    <message>
        <source>A reversal is taken in your shift (its receipt and its money belong to it), and your shift is not open.</source>
        <translation>冲正记入您的班次（冲正收据和款项属于该班次），而您还没有开班。</translation>
    </message>
    <message>
        <source>Receipt</source>
        <translation>收据号</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>Amount</source>
        <translation>金额</translation>
    </message>
    <message>
        <source>Method</source>
        <translation>方式</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>备注</translation>
    </message>
    <message>
        <source>Shift open since %1</source>
        <translation>班次：%1 开班</translation>
    </message>
    <message>
        <source>Shift closed</source>
        <translation>班次：未开</translation>
    </message>
    <message>
        <source>Unprinted receipts</source>
        <translation>未打印收据</translation>
    </message>
    <message>
        <source>Every receipt has been printed.</source>
        <translation>所有收据均已打印。</translation>
    </message>
    <message>
        <source>Take payment</source>
        <translation>收费</translation>
    </message>
    <message>
        <source>Payments</source>
        <translation>缴费记录</translation>
    </message>
    <message>
        <source>Prepaid balance</source>
        <translation>预存余额明细</translation>
    </message>
    <message>
        <source>Open shift…</source>
        <translation>开班…</translation>
    </message>
    <message>
        <source>Close shift (blind count)…</source>
        <translation>结班（盲点）…</translation>
    </message>
    <message>
        <source>Unprinted receipts…</source>
        <translation>未打印收据…</translation>
    </message>
    <message>
        <source>Receipt register…</source>
        <translation>收据登记簿…</translation>
    </message>
    <message>
        <source>Shifts to sign off…</source>
        <translation>待签核班次…</translation>
    </message>
    <message>
        <source>Receipt printer…</source>
        <translation>收据打印机…</translation>
    </message>
</context>
<context>
    <name>ReceiptPrinterDialog</name>
    <message>
        <source>Thermal receipt printer (ESC/POS)</source>
        <translation>热敏小票打印机（ESC/POS）</translation>
    </message>
    <message>
        <source>This computer&apos;s default printer</source>
        <translation>本机默认打印机</translation>
    </message>
    <message>
        <source>Show on screen, print from there</source>
        <translation>先在屏幕上显示，再从预览打印</translation>
    </message>
    <message>
        <source>No printer: keep the PDF only</source>
        <translation>无打印机：只保存 PDF</translation>
    </message>
    <message>
        <source>80 mm roll</source>
        <translation>80 毫米卷纸</translation>
    </message>
    <message>
        <source>58 mm roll</source>
        <translation>58 毫米卷纸</translation>
    </message>
    <message>
        <source>A5 sheet</source>
        <translation>A5 纸</translation>
    </message>
    <message>
        <source>Text (fast; the printer needs its Chinese font)</source>
        <translation>文字（快；打印机需自带中文字库）</translation>
    </message>
    <message>
        <source>Picture (slower; works on any printer)</source>
        <translation>图像（较慢；任何打印机都可用）</translation>
    </message>
    <message>
        <source>Receipt printer</source>
        <translation>收据打印机</translation>
    </message>
    <message>
        <source>These settings belong to this computer only; other counters keep their own. Receipts are archived as PDF whatever you choose.</source>
        <translation>这些设置只属于本机，其他柜台各用各的设置。无论选择哪种方式，收据都会存档为 PDF。</translation>
    </message>
    <message>
        <source>Receipts go to</source>
        <translation>收据输出到</translation>
    </message>
    <message>
        <source>Paper</source>
        <translation>纸张</translation>
    </message>
    <message>
        <source>Printer device</source>
        <translation>打印机设备</translation>
    </message>
    <message>
        <source>A USB printer: its device, e.g. /dev/usb/lp0 (COM3 on Windows). A network printer: tcp://ADDRESS:PORT, usually port 9100.</source>
        <translation>USB 打印机：填写设备，如 /dev/usb/lp0（Windows 上如 COM3）。网络打印机：tcp://地址:端口，端口通常是 9100。</translation>
    </message>
    <message>
        <source>Send receipts as</source>
        <translation>发送方式</translation>
    </message>
    <message>
        <source>Saved in %1</source>
        <translation>保存在 %1</translation>
    </message>
    <message>
        <source>Print a test page</source>
        <translation>打印测试页</translation>
    </message>
    <message>
        <source>The test page was not printed: %1.</source>
        <translation>测试页未打印：%1。</translation>
    </message>
    <message>
        <source>The test page was not printed: the printer at %1 reported an error.</source>
        <translation>测试页未打印：打印机 %1 报告了错误。</translation>
    </message>
    <message>
        <source>The test page was sent to %1. If it came out complete and the Chinese is readable, save.</source>
        <translation>测试页已发送到 %1。如果打印完整、中文清晰可读，请保存。</translation>
    </message>
    <message>
        <source>The test page was sent to the default printer.</source>
        <translation>测试页已发送到默认打印机。</translation>
    </message>
    <message>
        <source>The test page could not be saved: the archive folder cannot be written.</source>
        <translation>测试页无法保存：存档文件夹无法写入。</translation>
    </message>
    <message>
        <source>No printer: receipts are kept as PDF files like %1.</source>
        <translation>无打印机：收据将保存为 PDF 文件，例如 %1。</translation>
    </message>
    <message>
        <source>Printer test page</source>
        <translation>打印机测试页</translation>
    </message>
</context>
<context>
    <name>ReceiptRegister</name>
    <message>
        <source>Receipt no.</source>
        <translation>收据号</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>Account</source>
        <translation>户号</translation>
    </message>
    <message>
        <source>Customer</source>
        <translation>客户</translation>
    </message>
    <message>
        <source>Method</source>
        <translation>方式</translation>
    </message>
    <message>
        <source>Amount</source>
        <translation>金额</translation>
    </message>
    <message>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Prints</source>
        <translation>打印次数</translation>
    </message>
    <message>
        <source>reversal</source>
        <translation>冲正单</translation>
    </message>
    <message>
        <source>reversed</source>
        <translation>已冲正</translation>
    </message>
    <message>
        <source>unprinted</source>
        <translation>未打印</translation>
    </message>
</context>
<context>
    <name>ReceiptRegisterDialog</name>
    <message>
        <source>Receipt register — %1</source>
        <translation>收据登记簿 — %1</translation>
    </message>
    <message>
        <source>Find:</source>
        <translation>查找：</translation>
    </message>
    <message>
        <source>Receipt no. or its last digits, account no., or a date 2026-03-15; scan a receipt</source>
        <translation>收据号或其末几位数字、户号，或日期 2026-03-15；可扫描收据</translation>
    </message>
    <message>
        <source>F8 Reprint</source>
        <translation>F8 重打</translation>
    </message>
    <message>
        <source>Close (Esc)</source>
        <translation>关闭 (Esc)</translation>
    </message>
    <message>
        <source>Newest %1 receipts</source>
        <translation>最新 %1 张收据</translation>
    </message>
    <message>
        <source>%1 found</source>
        <translation>找到 %1 张</translation>
    </message>
    <message>
        <source>No receipt of this station matches “%1”.</source>
        <translation>本站没有与“%1”相符的收据。</translation>
    </message>
    <message>
        <source>Only the newest %1 are listed; find older receipts by number, account or date.</source>
        <translation>只列出最新 %1 张；更早的收据请按收据号、户号或日期查找。</translation>
    </message>
    <message>
        <source>Enter or F8 reprints the selected receipt; the reprint is marked and archived.</source>
        <translation>按回车或 F8 重打选中的收据；重打件标明“重打”并存档。</translation>
    </message>
</context>
<context>
    <name>Receipts</name>
    <message>
        <source>Receipt printer</source>
        <translation>收据打印机</translation>
    </message>
    <message>
        <source>Receipt not printed</source>
        <translation>收据未打印</translation>
    </message>
    <message>
        <source>The receipt was not printed: %1. The payment is saved; reprint it from Unprinted receipts once the printer is ready.</source>
        <translation>收据未打印：%1。缴费已保存；打印机就绪后，请在“未打印收据”中补打。</translation>
    </message>
</context>
<context>
    <name>ReversalDialog</name>
    <message>
        <source>Reverse payment %1</source>
        <translation>冲正收费 %1</translation>
    </message>
    <message>
        <source>Receipt %1 of %2, account %3: %4 by %5.</source>
        <translation>收据 %1（%2），户号 %3：%4，%5。</translation>
    </message>
    <message>
        <source>The payment stays in the register; a reversal receipt with its own number undoes it and its bills are owed again.</source>
        <translation>原收费留在收据登记簿中；冲正另开一张收据号冲销它，所缴账单恢复为欠费。</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>冲正原因</translation>
    </message>
    <message>
        <source>Supervisor login</source>
        <translation>主管登录名</translation>
    </message>
    <message>
        <source>Supervisor password</source>
        <translation>主管密码</translation>
    </message>
    <message>
        <source>Reverse</source>
        <translation>冲正</translation>
    </message>
    <message>
        <source>Not reversed</source>
        <translation>未冲正</translation>
    </message>
</context>
<context>
    <name>ShiftCloseDialog</name>
    <message>
        <source>Close shift: blind cash count</source>
        <translation>结班：现金盲点</translation>
    </message>
    <message>
        <source>Count the cash in the drawer, including the float. The expected totals are shown after the count.</source>
        <translation>请清点钱箱中的现金（含备用金）。清点完成后才显示应收合计。</translation>
    </message>
    <message>
        <source>%1 yuan notes/coins</source>
        <translation>%1 元（张/枚）</translation>
    </message>
    <message>
        <source>Bank card total</source>
        <translation>银行卡合计</translation>
    </message>
    <message>
        <source>QR code total</source>
        <translation>扫码合计</translation>
    </message>
    <message>
        <source>Transfer total</source>
        <translation>转账合计</translation>
    </message>
    <message>
        <source>Note on any difference</source>
        <translation>差异说明</translation>
    </message>
    <message>
        <source>Close the shift</source>
        <translation>结班</translation>
    </message>
    <message>
        <source>Cash counted: %1 (%2 pieces)</source>
        <translation>现金实点：%1（共 %2 张/枚）</translation>
    </message>
    <message>
        <source>%1: expected %2, counted %3, difference %4</source>
        <translation>%1：应收 %2，实点 %3，差额 %4</translation>
    </message>
    <message>
        <source>A supervisor signs off the difference.</source>
        <translation>差额须由主管签核。</translation>
    </message>
    <message>
        <source>Done</source>
        <translation>完成</translation>
    </message>
</context>
<context>
    <name>ShiftReview</name>
    <message>
        <source>Clerk</source>
        <translation>收费员</translation>
    </message>
    <message>
        <source>Opened</source>
        <translation>开班</translation>
    </message>
    <message>
        <source>Closed</source>
        <translation>交班</translation>
    </message>
    <message>
        <source>Cash expected</source>
        <translation>现金应收</translation>
    </message>
    <message>
        <source>Cash counted</source>
        <translation>现金实点</translation>
    </message>
    <message>
        <source>Cash difference</source>
        <translation>现金差额</translation>
    </message>
    <message>
        <source>Other methods</source>
        <translation>其他方式</translation>
    </message>
    <message>
        <source>Receipts</source>
        <translation>收据</translation>
    </message>
    <message>
        <source>Signed off by</source>
        <translation>签核人</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>说明</translation>
    </message>
    <message>
        <source>Method</source>
        <translation>方式</translation>
    </message>
    <message>
        <source>Expected</source>
        <translation>应收</translation>
    </message>
    <message>
        <source>Counted</source>
        <translation>实点</translation>
    </message>
    <message>
        <source>Difference</source>
        <translation>差额</translation>
    </message>
    <message>
        <source>Denomination</source>
        <translation>面额</translation>
    </message>
    <message>
        <source>Pieces</source>
        <translation>张/枚</translation>
    </message>
    <message>
        <source>Amount</source>
        <translation>金额</translation>
    </message>
</context>
<context>
    <name>ShiftReviewDialog</name>
    <message>
        <source>Shifts to sign off — %1</source>
        <translation>待签核班次 — %1</translation>
    </message>
    <message>
        <source>Also show shifts signed off in the last %1 days</source>
        <translation>同时显示最近 %1 天已签核的班次</translation>
    </message>
    <message>
        <source>Expected and counted</source>
        <translation>应收与实点</translation>
    </message>
    <message>
        <source>Cash count</source>
        <translation>现金清点</translation>
    </message>
    <message>
        <source>Clerk&apos;s note</source>
        <translation>收费员说明</translation>
    </message>
    <message>
        <source>Supervisor&apos;s note:</source>
        <translation>主管说明：</translation>
    </message>
    <message>
        <source>why a difference is accepted (kept with the sign-off, printed on the reports)</source>
        <translation>为何接受差额（随签核保存，打印在报表上）</translation>
    </message>
    <message>
        <source>Sign off…</source>
        <translation>签核…</translation>
    </message>
    <message>
        <source>F8 Shift report</source>
        <translation>F8 交班报表</translation>
    </message>
    <message>
        <source>Close (Esc)</source>
        <translation>关闭 (Esc)</translation>
    </message>
    <message>
        <source>%1 closed shifts wait for a supervisor&apos;s sign-off.</source>
        <translation>%1 个已交班的班次等待主管签核。</translation>
    </message>
    <message>
        <source>No shift waits for sign-off.</source>
        <translation>没有待签核的班次。</translation>
    </message>
    <message>
        <source>%1 paid, %2 reversed</source>
        <translation>收费 %1 笔，冲正 %2 笔</translation>
    </message>
    <message>
        <source>all match</source>
        <translation>全部相符</translation>
    </message>
    <message>
        <source>waiting</source>
        <translation>待签核</translation>
    </message>
    <message>
        <source>Total</source>
        <translation>合计</translation>
    </message>
    <message>
        <source>(no note)</source>
        <translation>（无说明）</translation>
    </message>
    <message>
        <source>Signed off by %1 at %2</source>
        <translation>%1 于 %2 签核</translation>
    </message>
    <message>
        <source>Supervisor&apos;s note: %1</source>
        <translation>主管说明：%1</translation>
    </message>
    <message>
        <source>Opening float %1</source>
        <translation>备用金 %1</translation>
    </message>
    <message>
        <source>Sign off the shift of %1 (%2 – %3)? Cash difference: %4.</source>
        <translation>签核 %1 的班次（%2 – %3）？现金差额：%4。</translation>
    </message>
    <message>
        <source>Sign off</source>
        <translation>签核</translation>
    </message>
</context>
<context>
    <name>cli</name>
    <message>
        <source>--key: “{key}” should be 1 to 60 letters, digits, dots, underscores, colons or dashes</source>
        <translation>--key：“{key}”应为 1 到 60 个字母、数字、点、下划线、冒号或连字符</translation>
    </message>
    <message>
        <source>--key {key} was used for payment {receipt} ({amount} to account {account}); give a new key for another payment</source>
        <translation>--key {key} 已用于缴费 {receipt}（户号 {account}，金额 {amount}）；另一笔缴费请使用新的 key</translation>
    </message>
    <message>
        <source>payment {receipt} was posted before with --key {key}; nothing new was recorded</source>
        <translation>缴费 {receipt} 已用 --key {key} 记录过，没有新增记录</translation>
    </message>
    <message>
        <source>payment {receipt} is saved; its receipt could not be made ({why}); it waits in the unprinted receipts (Counter &gt; Unprinted receipts)</source>
        <translation>缴费 {receipt} 已保存；但无法生成收据（{why}），收据在未打印收据中等待（柜台 &gt; 未打印收据）</translation>
    </message>
    <message>
        <source>no account {account}</source>
        <translation>没有户号 {account}</translation>
    </message>
</context>
<context>
    <name>messages</name>
    <message>
        <source>Your shift is already open.</source>
        <translation>您的班次已经开启。</translation>
    </message>
    <message>
        <source>Choose how the customer pays.</source>
        <translation>请选择缴费方式。</translation>
    </message>
    <message>
        <source>The cash tendered is less than the amount.</source>
        <translation>实收现金少于应收金额。</translation>
    </message>
    <message>
        <source>Enter the terminal or transaction reference.</source>
        <translation>请输入终端参考号或交易流水号。</translation>
    </message>
    <message>
        <source>Open your shift before taking payments.</source>
        <translation>请先开班再收费。</translation>
    </message>
    <message>
        <source>This account no longer exists.</source>
        <translation>该户号已不存在。</translation>
    </message>
    <message>
        <source>Account {account_no} is closed; it cannot take payments.</source>
        <translation>户号 {account_no} 已销户，不能收费。</translation>
    </message>
    <message>
        <source>Only a supervisor can approve a reversal.</source>
        <translation>冲正须由主管审批。</translation>
    </message>
    <message>
        <source>Give the reason.</source>
        <translation>请填写原因。</translation>
    </message>
    <message>
        <source>Someone else changed a bill of this batch first; nothing was posted. Try again.</source>
        <translation>本批中有账单已被他人先行修改；本批未入账任何款项。请重试。</translation>
    </message>
    <message>
        <source>This payment no longer exists.</source>
        <translation>该笔缴费已不存在。</translation>
    </message>
    <message>
        <source>A reversal cannot be reversed.</source>
        <translation>冲正记录不能再冲正。</translation>
    </message>
    <message>
        <source>Payment {receipt_no} is already reversed.</source>
        <translation>收据 {receipt_no} 已冲正。</translation>
    </message>
    <message>
        <source>Only payments of today can be reversed (a company setting).</source>
        <translation>只能冲正当日的缴费（公司设置）。</translation>
    </message>
    <message>
        <source>Open your shift before reversing a payment.</source>
        <translation>请先开班再冲正缴费。</translation>
    </message>
    <message>
        <source>The prepaid balance from this payment has already been used; it cannot be reversed.</source>
        <translation>该笔缴费形成的预存余额已被使用，不能冲正。</translation>
    </message>
    <message>
        <source>Enter a number of pieces, zero or more.</source>
        <translation>请输入张数（不小于零）。</translation>
    </message>
    <message>
        <source>Choose one of the listed values.</source>
        <translation>请从列出的选项中选择。</translation>
    </message>
    <message>
        <source>You have no open shift.</source>
        <translation>您没有未结的班次。</translation>
    </message>
    <message>
        <source>Only a supervisor can sign off a shift.</source>
        <translation>只有主管可以签核班次。</translation>
    </message>
    <message>
        <source>Only a closed shift can be signed off.</source>
        <translation>只有已结班的班次才能签核。</translation>
    </message>
    <message>
        <source>A supervisor&apos;s own shift is signed off by another supervisor.</source>
        <translation>主管本人的班次须由另一位主管签核。</translation>
    </message>
    <message>
        <source>Only a supervisor can see the day report of all shifts.</source>
        <translation>只有主管可以查看所有班次的日报。</translation>
    </message>
    <message>
        <source>Enter the printer&apos;s device: a path such as /dev/usb/lp0, or tcp://HOST:PORT for a network printer.</source>
        <translation>请填写打印机设备：如 /dev/usb/lp0；网络打印机填写 tcp://地址:端口。</translation>
    </message>
    <message>
        <source>Write a network printer as tcp://HOST:PORT, for example tcp://192.168.1.50:9100.</source>
        <translation>网络打印机请写成 tcp://地址:端口，例如 tcp://192.168.1.50:9100。</translation>
    </message>
    <message>
        <source>Add the port after the address, for example tcp://{host}:9100.</source>
        <translation>请在地址后加上端口，例如 tcp://{host}:9100。</translation>
    </message>
    <message>
        <source>The port must be a number from 1 to 65535 (most receipt printers use 9100).</source>
        <translation>端口必须是 1 到 65535 之间的数字（收据打印机大多用 9100）。</translation>
    </message>
    <message>
        <source>Give the full path of the printer&apos;s device, for example /dev/usb/lp0.</source>
        <translation>请填写打印机设备的完整路径，例如 /dev/usb/lp0。</translation>
    </message>
    <message>
        <source>the printer at {device} cannot be reached</source>
        <translation>无法连接打印机 {device}</translation>
    </message>
    <message>
        <source>the printer at {device} is not connected or is switched off</source>
        <translation>打印机 {device} 未连接或未开机</translation>
    </message>
    <message>
        <source>the printer at {device} is out of paper</source>
        <translation>打印机 {device} 缺纸</translation>
    </message>
    <message>
        <source>this computer&apos;s user may not use the printer at {device}; ask your technician to give it access</source>
        <translation>本机用户无权使用打印机 {device}，请联系技术人员开通权限</translation>
    </message>
    <message>
        <source>the printer at {device} is busy with another program</source>
        <translation>打印机 {device} 正被其他程序占用</translation>
    </message>
    <message>
        <source>the printer at {device} reported an error; check that it is on, its cover is closed and it has paper</source>
        <translation>打印机 {device} 报告了错误，请检查是否已开机、纸仓盖是否合好、是否有纸</translation>
    </message>
    <message>
        <source>Choose where receipts go.</source>
        <translation>请选择收据输出到哪里。</translation>
    </message>
    <message>
        <source>Choose the paper: 80 mm roll, 58 mm roll or A5.</source>
        <translation>请选择纸张：80 毫米卷纸、58 毫米卷纸或 A5 纸。</translation>
    </message>
    <message>
        <source>Choose text or picture mode.</source>
        <translation>请选择文字或图像方式。</translation>
    </message>
    <message>
        <source>A thermal receipt printer takes 80 mm or 58 mm rolls; choose one of them.</source>
        <translation>热敏小票打印机只能用 80 毫米或 58 毫米卷纸，请选择其一。</translation>
    </message>
    <message>
        <source>The counter settings file {path} cannot be read ({reason}). Open Tools &gt; Receipt printer… and save the settings again.</source>
        <translation>无法读取本机设置文件 {path}（{reason}）。请打开“工具 &gt; 收据打印机…”重新保存设置。</translation>
    </message>
    <message>
        <source>The counter settings file {path} is damaged. Open Tools &gt; Receipt printer… and save the settings again.</source>
        <translation>本机设置文件 {path} 已损坏。请打开“工具 &gt; 收据打印机…”重新保存设置。</translation>
    </message>
    <message>
        <source>Only a supervisor can see another clerk&apos;s shift report.</source>
        <translation>只有主管可以查看其他收费员的交班报表。</translation>
    </message>
    <message>
        <source>No clerk has the login name “{login}”.</source>
        <translation>没有登录名为“{login}”的营业员。</translation>
    </message>
    <message>
        <source>{name} has had no shift yet.</source>
        <translation>{name} 还没有开过班。</translation>
    </message>
    <message>
        <source>This shift does not exist at this station.</source>
        <translation>本站没有这个班次。</translation>
    </message>
</context>
<context>
    <name>printing</name>
    <message>
        <source>Payment receipt</source>
        <translation>缴费收据</translation>
    </message>
    <message>
        <source>REVERSAL of %1</source>
        <translation>冲正（原收据 %1）</translation>
    </message>
    <message>
        <source>REPRINT (%1)</source>
        <translation>重打（第%1次）</translation>
    </message>
    <message>
        <source>Receipt no.</source>
        <translation>收据号</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>Account no.</source>
        <translation>户号</translation>
    </message>
    <message>
        <source>Account name</source>
        <translation>户名</translation>
    </message>
    <message>
        <source>Clerk</source>
        <translation>收费员</translation>
    </message>
    <message>
        <source>Late fee</source>
        <translation>违约金</translation>
    </message>
    <message>
        <source>Charges</source>
        <translation>电费</translation>
    </message>
    <message>
        <source>Prepaid to balance</source>
        <translation>预存</translation>
    </message>
    <message>
        <source>Total</source>
        <translation>合计</translation>
    </message>
    <message>
        <source>Paid by</source>
        <translation>缴费方式</translation>
    </message>
    <message>
        <source>Tendered</source>
        <translation>实收</translation>
    </message>
    <message>
        <source>Change</source>
        <translation>找零</translation>
    </message>
    <message>
        <source>Reference no.</source>
        <translation>交易参考号</translation>
    </message>
    <message>
        <source>Still owed</source>
        <translation>尚欠</translation>
    </message>
    <message>
        <source>Balance after</source>
        <translation>余额</translation>
    </message>
    <message>
        <source>Verification code</source>
        <translation>校验码</translation>
    </message>
    <message>
        <source>Cash report of %1</source>
        <translation>%1 收费日报</translation>
    </message>
    <message>
        <source>Method</source>
        <translation>方式</translation>
    </message>
    <message>
        <source>Expected</source>
        <translation>应收</translation>
    </message>
    <message>
        <source>Counted</source>
        <translation>实点</translation>
    </message>
    <message>
        <source>Difference</source>
        <translation>差额</translation>
    </message>
    <message>
        <source>%1 payments, %2 reversals. Signed off by: %3. %4</source>
        <translation>收费 %1 笔，冲正 %2 笔。签核：%3。%4</translation>
    </message>
    <message>
        <source>Supervisor&apos;s note: %1</source>
        <translation>主管说明：%1</translation>
    </message>
    <message>
        <source>Day total of the closed shifts</source>
        <translation>当日已交班合计</translation>
    </message>
    <message>
        <source>Shifts still open (no cash count yet; not in the day&apos;s totals)</source>
        <translation>尚未交班的班次（未清点现金，不计入当日合计）</translation>
    </message>
    <message>
        <source>%1  opened %2, still open: %3 payments, %4 reversals so far</source>
        <translation>%1  %2开班，尚未交班：目前收费%3笔，冲正%4笔</translation>
    </message>
    <message>
        <source>Taken so far</source>
        <translation>目前已收</translation>
    </message>
    <message>
        <source>Cash taken so far includes the opening float.</source>
        <translation>目前已收现金含备用金。</translation>
    </message>
    <message>
        <source>Audit anchor: %1</source>
        <translation>审计锚点：%1</translation>
    </message>
    <message>
        <source>Shift still open</source>
        <translation>尚未交班</translation>
    </message>
    <message>
        <source>Closed, waiting for sign-off</source>
        <translation>已交班，待签核</translation>
    </message>
    <message>
        <source>Signed off</source>
        <translation>已签核</translation>
    </message>
    <message>
        <source>Shift report</source>
        <translation>交班报表</translation>
    </message>
    <message>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Opened</source>
        <translation>开班</translation>
    </message>
    <message>
        <source>Closed</source>
        <translation>交班</translation>
    </message>
    <message>
        <source>Opening float</source>
        <translation>备用金</translation>
    </message>
    <message>
        <source>Station</source>
        <translation>站点</translation>
    </message>
    <message>
        <source>Expected cash includes the opening float.</source>
        <translation>现金应收含备用金。</translation>
    </message>
    <message>
        <source>Cash count</source>
        <translation>现金清点</translation>
    </message>
    <message>
        <source>Denomination</source>
        <translation>面额</translation>
    </message>
    <message>
        <source>Pieces</source>
        <translation>张/枚</translation>
    </message>
    <message>
        <source>Amount</source>
        <translation>金额</translation>
    </message>
    <message>
        <source>Cash counted</source>
        <translation>现金实点合计</translation>
    </message>
    <message>
        <source>Receipts issued</source>
        <translation>开出收据</translation>
    </message>
    <message>
        <source>Number</source>
        <translation>笔数</translation>
    </message>
    <message>
        <source>Receipt numbers</source>
        <translation>收据号</translation>
    </message>
    <message>
        <source>Payments</source>
        <translation>收费</translation>
    </message>
    <message>
        <source>Reversals</source>
        <translation>冲正</translation>
    </message>
    <message>
        <source>%1 reverses %2: %3</source>
        <translation>%1 冲正 %2：%3</translation>
    </message>
    <message>
        <source>Clerk&apos;s note: %1</source>
        <translation>收费员说明：%1</translation>
    </message>
    <message>
        <source>Signed off by %1 at %2</source>
        <translation>签核：%1，%2</translation>
    </message>
    <message>
        <source>Not signed off yet</source>
        <translation>尚未签核</translation>
    </message>
    <message>
        <source>Clerk&apos;s signature</source>
        <translation>收费员签字</translation>
    </message>
    <message>
        <source>Supervisor&apos;s signature</source>
        <translation>主管签字</translation>
    </message>
    <message>
        <source>Printed %1</source>
        <translation>打印于 %1</translation>
    </message>
    <message>
        <source>text (GB18030)</source>
        <translation>文字（GB18030）</translation>
    </message>
    <message>
        <source>picture (raster)</source>
        <translation>图像（光栅）</translation>
    </message>
    <message>
        <source>Printer test page</source>
        <translation>打印机测试页</translation>
    </message>
    <message>
        <source>Time: %1</source>
        <translation>时间：%1</translation>
    </message>
    <message>
        <source>Paper: %1</source>
        <translation>纸张：%1</translation>
    </message>
    <message>
        <source>Device: %1</source>
        <translation>设备：%1</translation>
    </message>
    <message>
        <source>Mode: %1</source>
        <translation>方式：%1</translation>
    </message>
    <message>
        <source>When every line is complete and the Chinese is readable, receipts will print well.</source>
        <translation>每一行都完整、中文清晰可读，收据就能正常打印。</translation>
    </message>
</context>
</TS>
