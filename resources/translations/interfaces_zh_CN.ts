<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN" sourcelanguage="en">
<context>
    <name>CorrectRowDialog</name>
    <message>
        <source>Correct line %1</source>
        <translation>更正第 %1 行</translation>
    </message>
    <message>
        <source>Meter no.</source>
        <translation>表号</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>原因</translation>
    </message>
    <message>
        <source>Reading</source>
        <translation>示数</translation>
    </message>
    <message>
        <source>Read on (YYYY-MM-DD)</source>
        <translation>抄表日期（YYYY-MM-DD）</translation>
    </message>
</context>
<context>
    <name>EndMandateDialog</name>
    <message>
        <source>End bank mandate</source>
        <translation>终止银行代扣协议</translation>
    </message>
    <message>
        <source>Account %1, %2 %3</source>
        <translation>户号 %1，%2 %3</translation>
    </message>
    <message>
        <source>Last day collected (YYYY-MM-DD)</source>
        <translation>最后代扣日（YYYY-MM-DD）</translation>
    </message>
</context>
<context>
    <name>InterfacesPlugin</name>
    <message>
        <source>Import meter readings…</source>
        <translation>导入抄表数据…</translation>
    </message>
    <message>
        <source>Bank mandates</source>
        <translation>银行代扣协议</translation>
    </message>
</context>
<context>
    <name>MandateDialog</name>
    <message>
        <source>Bank mandate</source>
        <translation>银行代扣协议</translation>
    </message>
    <message>
        <source>Account</source>
        <translation>户号</translation>
    </message>
    <message>
        <source>Bank</source>
        <translation>银行</translation>
    </message>
    <message>
        <source>Bank account number</source>
        <translation>银行账号</translation>
    </message>
    <message>
        <source>Account holder</source>
        <translation>开户人</translation>
    </message>
    <message>
        <source>Collect from (YYYY-MM-DD)</source>
        <translation>代扣起始日期（YYYY-MM-DD）</translation>
    </message>
</context>
<context>
    <name>MandatesPanel</name>
    <message>
        <source>Account no.</source>
        <translation>户号</translation>
    </message>
    <message>
        <source>Bank</source>
        <translation>银行</translation>
    </message>
    <message>
        <source>Bank account</source>
        <translation>银行账号</translation>
    </message>
    <message>
        <source>Holder</source>
        <translation>开户人</translation>
    </message>
    <message>
        <source>From</source>
        <translation>起始</translation>
    </message>
    <message>
        <source>Until</source>
        <translation>截止</translation>
    </message>
    <message>
        <source>Add mandate…</source>
        <translation>新增代扣协议…</translation>
    </message>
    <message>
        <source>End mandate…</source>
        <translation>终止协议…</translation>
    </message>
</context>
<context>
    <name>NoticesDialog</name>
    <message>
        <source>Customer notices</source>
        <translation>客户短信通知</translation>
    </message>
    <message>
        <source>&amp;Status</source>
        <translation>状态(&amp;S)</translation>
    </message>
    <message>
        <source>All</source>
        <translation>全部</translation>
    </message>
    <message>
        <source>&amp;Kind</source>
        <translation>类别(&amp;K)</translation>
    </message>
    <message>
        <source>Refresh (F5)</source>
        <translation>刷新 (F5)</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>类别</translation>
    </message>
    <message>
        <source>Customer</source>
        <translation>客户</translation>
    </message>
    <message>
        <source>Mobile</source>
        <translation>手机号</translation>
    </message>
    <message>
        <source>Attempts</source>
        <translation>尝试次数</translation>
    </message>
    <message>
        <source>Queued</source>
        <translation>排队时间</translation>
    </message>
    <message>
        <source>Sent / next attempt</source>
        <translation>发送时间 / 下次尝试</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>原因</translation>
    </message>
    <message>
        <source>Send waiting now (Ctrl+S)</source>
        <translation>立即发送待发短信 (Ctrl+S)</translation>
    </message>
    <message>
        <source>Try again (Ctrl+R)</source>
        <translation>重新发送 (Ctrl+R)</translation>
    </message>
    <message>
        <source>Cancel notice (Ctrl+D)</source>
        <translation>取消该短信 (Ctrl+D)</translation>
    </message>
    <message>
        <source>Planned &amp;outage</source>
        <translation>计划停电(&amp;O)</translation>
    </message>
    <message>
        <source>&amp;Queue outage notices</source>
        <translation>排队停电通知(&amp;Q)</translation>
    </message>
    <message>
        <source>&amp;Receipt of the open customer</source>
        <translation>当前客户的收据(&amp;R)</translation>
    </message>
    <message>
        <source>Queue r&amp;eceipt notice</source>
        <translation>排队收据短信(&amp;E)</translation>
    </message>
    <message>
        <source>Waiting notices are sent every few minutes in the background; failed ones are listed first.</source>
        <translation>待发短信每隔几分钟在后台自动发送；发送失败的排在最前面。</translation>
    </message>
    <message>
        <source>(%1 accounts)</source>
        <translation>（%1 户）</translation>
    </message>
    <message>
        <source>Only a supervisor sends the notices of a planned outage.</source>
        <translation>只有主管可以发送计划停电通知。</translation>
    </message>
    <message>
        <source>open a customer first</source>
        <translation>请先打开客户</translation>
    </message>
    <message>
        <source>no payment</source>
        <translation>无缴费记录</translation>
    </message>
    <message>
        <source>Sending…</source>
        <translation>正在发送…</translation>
    </message>
    <message>
        <source>Choose a notice in the list first.</source>
        <translation>请先在列表中选择一条短信。</translation>
    </message>
    <message>
        <source>Queued again: %1 to %2; it goes with the next sending.</source>
        <translation>已重新排队：发往 %2 的%1，将随下一次发送发出。</translation>
    </message>
    <message>
        <source>Cancelled: %1 to %2.</source>
        <translation>已取消：发往 %2 的%1。</translation>
    </message>
    <message>
        <source>Choose a planned outage first.</source>
        <translation>请先选择一次计划停电。</translation>
    </message>
    <message>
        <source>Open the customer and choose a receipt first.</source>
        <translation>请先打开客户并选择一张收据。</translation>
    </message>
</context>
<context>
    <name>NoticesSender</name>
    <message>
        <source>%1 sent, %2 to retry later, %3 failed, %4 cancelled</source>
        <translation>已发送 %1 条，稍后重试 %2 条，失败 %3 条，已取消 %4 条</translation>
    </message>
    <message>
        <source>Sending the text messages failed; they are tried again later.</source>
        <translation>短信发送失败，稍后将自动重试。</translation>
    </message>
</context>
<context>
    <name>NoticesStatusLabel</name>
    <message>
        <source>SMS: sending failed</source>
        <translation>短信：发送失败</translation>
    </message>
    <message>
        <source>SMS: %1 sent, %2 not sent</source>
        <translation>短信：已发 %1 条，未发出 %2 条</translation>
    </message>
    <message>
        <source>SMS: %1 sent</source>
        <translation>短信：已发 %1 条</translation>
    </message>
    <message>
        <source>SMS: none waiting</source>
        <translation>短信：无待发</translation>
    </message>
</context>
<context>
    <name>ReadingsImportDialog</name>
    <message>
        <source>Import meter readings</source>
        <translation>导入抄表数据</translation>
    </message>
    <message>
        <source>Source</source>
        <translation>来源</translation>
    </message>
    <message>
        <source>Period</source>
        <translation>账期</translation>
    </message>
    <message>
        <source>from the file</source>
        <translation>按文件</translation>
    </message>
    <message>
        <source>Import file…</source>
        <translation>导入文件…</translation>
    </message>
    <message>
        <source>Earlier imports</source>
        <translation>以前的导入</translation>
    </message>
    <message>
        <source>Show</source>
        <translation>显示</translation>
    </message>
    <message>
        <source>All rows</source>
        <translation>全部行</translation>
    </message>
    <message>
        <source>Warned</source>
        <translation>警告</translation>
    </message>
    <message>
        <source>Refused</source>
        <translation>拒绝</translation>
    </message>
    <message>
        <source>Accepted</source>
        <translation>接受</translation>
    </message>
    <message>
        <source>Posted</source>
        <translation>已入账</translation>
    </message>
    <message>
        <source>accepted</source>
        <translation>接受</translation>
    </message>
    <message>
        <source>warned</source>
        <translation>警告</translation>
    </message>
    <message>
        <source>refused</source>
        <translation>拒绝</translation>
    </message>
    <message>
        <source>posted</source>
        <translation>已入账</translation>
    </message>
    <message>
        <source>Line</source>
        <translation>行</translation>
    </message>
    <message>
        <source>Meter no.</source>
        <translation>表号</translation>
    </message>
    <message>
        <source>Register</source>
        <translation>示数类型</translation>
    </message>
    <message>
        <source>Reading</source>
        <translation>示数</translation>
    </message>
    <message>
        <source>Read on</source>
        <translation>抄表日期</translation>
    </message>
    <message>
        <source>Route</source>
        <translation>抄表段</translation>
    </message>
    <message>
        <source>Previous</source>
        <translation>上次示数</translation>
    </message>
    <message>
        <source>Usage</source>
        <translation>用量</translation>
    </message>
    <message>
        <source>Usual</source>
        <translation>平常用量</translation>
    </message>
    <message>
        <source>Verdict</source>
        <translation>结果</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>原因</translation>
    </message>
    <message>
        <source>Accept warning</source>
        <translation>确认接受</translation>
    </message>
    <message>
        <source>Correct…</source>
        <translation>更正…</translation>
    </message>
    <message>
        <source>Post for route</source>
        <translation>入账抄表段</translation>
    </message>
    <message>
        <source>Post accepted readings</source>
        <translation>入账已接受的抄表数</translation>
    </message>
    <message>
        <source>%1 · %2 · warned %3, accepted %4</source>
        <translation>%1 · %2 · 警告 %3，接受 %4</translation>
    </message>
    <message>
        <source>Readings file</source>
        <translation>抄表数据文件</translation>
    </message>
    <message>
        <source>Readings files (*.csv *.xlsx *.txt);;All files (*)</source>
        <translation>抄表数据文件 (*.csv *.xlsx *.txt);;所有文件 (*)</translation>
    </message>
    <message>
        <source>This file was imported before: its rows are shown as they stand.</source>
        <translation>该文件以前已导入：显示各行的当前状态。</translation>
    </message>
    <message>
        <source>Choose the source and import a file; every row is checked before anything is posted.</source>
        <translation>请选择来源并导入文件；入账前每一行都会先经过检查。</translation>
    </message>
    <message>
        <source>%1, period %2: accepted %3, warned %4, refused %5, posted %6</source>
        <translation>%1，%2 期：接受 %3，警告 %4，拒绝 %5，已入账 %6</translation>
    </message>
    <message>
        <source>All routes</source>
        <translation>全部抄表段</translation>
    </message>
    <message>
        <source>(no route)</source>
        <translation>（无抄表段）</translation>
    </message>
    <message>
        <source>Choose a row first.</source>
        <translation>请先选择一行。</translation>
    </message>
    <message>
        <source>Line %1 checked again: %2</source>
        <translation>第 %1 行已重新检查：%2</translation>
    </message>
    <message>
        <source>%1 readings posted.</source>
        <translation>已入账 %1 条抄表数。</translation>
    </message>
</context>
<context>
    <name>ReconcileDialog</name>
    <message>
        <source>Payment-channel statements</source>
        <translation>支付渠道对账单</translation>
    </message>
    <message>
        <source>Channel</source>
        <translation>渠道</translation>
    </message>
    <message>
        <source>Import statement…</source>
        <translation>导入对账单…</translation>
    </message>
    <message>
        <source>Show resolved</source>
        <translation>显示已处理</translation>
    </message>
    <message>
        <source>Days</source>
        <translation>对账日</translation>
    </message>
    <message>
        <source>Day</source>
        <translation>日期</translation>
    </message>
    <message>
        <source>Statements</source>
        <translation>对账单数</translation>
    </message>
    <message>
        <source>Open</source>
        <translation>待处理</translation>
    </message>
    <message>
        <source>Resolved</source>
        <translation>已处理</translation>
    </message>
    <message>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Differences</source>
        <translation>差异</translation>
    </message>
    <message>
        <source>Difference</source>
        <translation>差异类型</translation>
    </message>
    <message>
        <source>Reference</source>
        <translation>参考号</translation>
    </message>
    <message>
        <source>Receipt</source>
        <translation>收据号</translation>
    </message>
    <message>
        <source>Statement</source>
        <translation>对账单金额</translation>
    </message>
    <message>
        <source>Counter</source>
        <translation>柜台金额</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>处理状态</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>处理说明</translation>
    </message>
    <message>
        <source>What was done: refunded by the platform, payment entered late …</source>
        <translation>处理情况：平台已退款、补录缴费……</translation>
    </message>
    <message>
        <source>Resolve</source>
        <translation>处理</translation>
    </message>
    <message>
        <source>Reconciled</source>
        <translation>已对平</translation>
    </message>
    <message>
        <source>%1 differences open</source>
        <translation>%1 条差异待处理</translation>
    </message>
    <message>
        <source>The channel&apos;s statement</source>
        <translation>渠道对账单</translation>
    </message>
    <message>
        <source>Statements (*.csv *.txt)</source>
        <translation>对账单 (*.csv *.txt)</translation>
    </message>
    <message>
        <source>Choose a difference in the list first.</source>
        <translation>请先在列表中选择一条差异。</translation>
    </message>
</context>
<context>
    <name>cli</name>
    <message>
        <source>{file} ({source}, period {period}): accepted {accepted}, warned {warned}, refused {refused}, posted {posted}</source>
        <translation>{file}（{source}，{period} 期）：接受 {accepted}，警告 {warned}，拒绝 {refused}，已入账 {posted}</translation>
    </message>
    <message>
        <source>{file} was already imported; nothing is staged twice</source>
        <translation>{file} 已导入过，不会重复暂存</translation>
    </message>
    <message>
        <source>posted {count} readings now</source>
        <translation>本次入账 {count} 条抄表数</translation>
    </message>
    <message>
        <source>{file}: {count} accounts, {total} yuan, bank {bank}, period {period}</source>
        <translation>{file}：{count} 户，{total} 元，银行 {bank}，{period} 期</translation>
    </message>
    <message>
        <source>the collection file of {bank} for {period} was made before; written again as it was sent</source>
        <translation>{bank} {period} 期的代扣文件以前已生成，按原样重新写出</translation>
    </message>
    <message>
        <source>{file}: bank {bank}, period {period}: {collected} collected ({collected_total} yuan) posted as payments {first} … {last}; {refused} refused ({refused_total} yuan)</source>
        <translation>{file}：银行 {bank}，{period} 期：扣款成功 {collected} 户（{collected_total} 元），已入账，收据 {first} … {last}；失败 {refused} 户（{refused_total} 元）</translation>
    </message>
    <message>
        <source>refused: {account_no} {holder} {amount} yuan: {reason}</source>
        <translation>扣款失败：{account_no} {holder} {amount} 元：{reason}</translation>
    </message>
    <message>
        <source>--bank: no bank profile {bank} (known: {known})</source>
        <translation>--bank：没有银行配置 {bank}（已有：{known}）</translation>
    </message>
</context>
<context>
    <name>messages</name>
    <message>
        <source>{file}, line {line}, column {column}: the cell is empty.</source>
        <translation>{file}，第 {line} 行，{column} 列：单元格为空。</translation>
    </message>
    <message>
        <source>{file}, line {line}, column {column}: “{value}” is not a date (YYYY-MM-DD, YYYYMMDD or an Excel date number).</source>
        <translation>{file}，第 {line} 行，{column} 列：“{value}”不是日期（应为 YYYY-MM-DD、YYYYMMDD 或 Excel 日期序号）。</translation>
    </message>
    <message>
        <source>{file}, line {line}, column {column}: “{value}” is not a number with at most {places} decimals.</source>
        <translation>{file}，第 {line} 行，{column} 列：“{value}”不是最多 {places} 位小数的数字。</translation>
    </message>
    <message>
        <source>{file}, line {line}, column {column}: “{value}” is not an amount of money (at most two decimals).</source>
        <translation>{file}，第 {line} 行，{column} 列：“{value}”不是金额（最多两位小数）。</translation>
    </message>
    <message>
        <source>{file}, line {line}: the header has no column {expected} (it has: {header}).</source>
        <translation>{file}，第 {line} 行：表头缺少列 {expected}（现有：{header}）。</translation>
    </message>
    <message>
        <source>{file}, line {line}: the file is not in the encoding {encoding}.</source>
        <translation>{file}，第 {line} 行：文件不是 {encoding} 编码。</translation>
    </message>
    <message>
        <source>{file}, line {line}: the file ends in the middle of a character; it seems cut off.</source>
        <translation>{file}，第 {line} 行：文件在一个字符中间结束，似乎不完整。</translation>
    </message>
    <message>
        <source>{file}, line {line}: the file is neither UTF-8 nor GBK/GB18030; save it as UTF-8 CSV.</source>
        <translation>{file}，第 {line} 行：文件既不是 UTF-8 也不是 GBK/GB18030 编码，请另存为 UTF-8 CSV。</translation>
    </message>
    <message>
        <source>Insufficient funds</source>
        <translation>余额不足</translation>
    </message>
    <message>
        <source>The bank account is closed</source>
        <translation>银行账户已销户</translation>
    </message>
    <message>
        <source>Refused by the bank</source>
        <translation>银行拒绝扣款</translation>
    </message>
    <message>
        <source>Choose one of the listed values.</source>
        <translation>请从列出的选项中选择。</translation>
    </message>
    <message>
        <source>A bank account number has 12 to 30 digits.</source>
        <translation>银行账号应为 12 到 30 位数字。</translation>
    </message>
    <message>
        <source>Enter the account holder&apos;s name.</source>
        <translation>请输入开户人姓名。</translation>
    </message>
    <message>
        <source>Enter a date as YYYY-MM-DD.</source>
        <translation>请按 YYYY-MM-DD 格式输入日期。</translation>
    </message>
    <message>
        <source>Choose the account.</source>
        <translation>请选择户号。</translation>
    </message>
    <message>
        <source>This account no longer exists.</source>
        <translation>该户号已不存在。</translation>
    </message>
    <message>
        <source>Account {account_no} is closed.</source>
        <translation>户号 {account_no} 已销户。</translation>
    </message>
    <message>
        <source>This mandate no longer exists.</source>
        <translation>此代扣协议已不存在。</translation>
    </message>
    <message>
        <source>This mandate has ended already (on {end_date}).</source>
        <translation>此代扣协议已于 {end_date} 终止。</translation>
    </message>
    <message>
        <source>A mandate cannot end before it starts ({start_date}).</source>
        <translation>代扣协议不能在生效日（{start_date}）之前终止。</translation>
    </message>
    <message>
        <source>No bank profile {bank}.</source>
        <translation>没有银行配置 {bank}。</translation>
    </message>
    <message>
        <source>{file}, line {line}: not a return file of any known bank (profiles: {known}).</source>
        <translation>{file}，第 {line} 行：不是任何已配置银行的回盘文件（已有配置：{known}）。</translation>
    </message>
    <message>
        <source>{file}, line {line}: no collection file was sent to {bank} for {period}; this return file is for another bank or period.</source>
        <translation>{file}，第 {line} 行：没有向 {bank} 发送过 {period} 期的代扣文件；该回盘文件属于其他银行或其他期。</translation>
    </message>
    <message>
        <source>{file}: the return of {bank} for {period} was applied already ({when}); nothing is posted twice.</source>
        <translation>{file}：{bank} {period} 期的回盘已处理过（{when}），不会重复入账。</translation>
    </message>
    <message>
        <source>{file}, line {line}, column {column}: a record of type “{value}” where {expected} was expected.</source>
        <translation>{file}，第 {line} 行，{column} 列：记录类型为“{value}”，应为 {expected}。</translation>
    </message>
    <message>
        <source>{file}, line {line}, column {column}: the header says {expected} lines, the file has {count}; the file seems cut off. Nothing is posted.</source>
        <translation>{file}，第 {line} 行，{column} 列：文件头记载 {expected} 笔，文件中有 {count} 笔，文件似乎不完整。未入账任何款项。</translation>
    </message>
    <message>
        <source>{file}, line {line}, column {column}: the header says {expected} yuan, the lines add up to {total}. Nothing is posted.</source>
        <translation>{file}，第 {line} 行，{column} 列：文件头记载 {expected} 元，明细合计 {total} 元。未入账任何款项。</translation>
    </message>
    <message>
        <source>{file}, line {line}, column {column}: line {seq} for account {account_no} was not in the collection file sent. Nothing is posted.</source>
        <translation>{file}，第 {line} 行，{column} 列：户号 {account_no} 的第 {seq} 笔不在发出的代扣文件中。未入账任何款项。</translation>
    </message>
    <message>
        <source>{file}, line {line}, column {column}: {amount} yuan where {asked} yuan was asked. Nothing is posted.</source>
        <translation>{file}，第 {line} 行，{column} 列：金额 {amount} 元，代扣文件中为 {asked} 元。未入账任何款项。</translation>
    </message>
    <message>
        <source>{file}, line {line}, column {column}: line {seq} is answered twice. Nothing is posted.</source>
        <translation>{file}，第 {line} 行，{column} 列：第 {seq} 笔回盘了两次。未入账任何款项。</translation>
    </message>
    <message>
        <source>{file}: {count} accounts of the collection file have no answer (first: line {seq}). Nothing is posted.</source>
        <translation>{file}：代扣文件中有 {count} 户没有回盘结果（第一笔：第 {seq} 笔）。未入账任何款项。</translation>
    </message>
    <message>
        <source>{file}, line {line}: account {account_no} is closed now; its collection cannot be posted. Nothing is posted.</source>
        <translation>{file}，第 {line} 行：户号 {account_no} 已销户，其扣款无法入账。未入账任何款项。</translation>
    </message>
    <message>
        <source>Close your counter shift first: a bank return is posted in a shift of its own.</source>
        <translation>请先结束柜台班次：银行回盘在单独的班次中入账。</translation>
    </message>
    <message>
        <source>{file}: {count} collected amounts could not be posted ({reason}); run the import again to finish.</source>
        <translation>{file}：有 {count} 笔扣款未能入账（{reason}），请再次导入以完成。</translation>
    </message>
    <message>
        <source>{file}, line {line}, column {column}: “{value}” is not a period (YYYYMM).</source>
        <translation>{file}，第 {line} 行，{column} 列：“{value}”不是账期（YYYYMM）。</translation>
    </message>
    <message>
        <source>{file}: cannot be read ({reason}).</source>
        <translation>{file}：无法读取（{reason}）。</translation>
    </message>
    <message>
        <source>{file}: the file is empty.</source>
        <translation>{file}：文件为空。</translation>
    </message>
    <message>
        <source>Only a clerk can take payments.</source>
        <translation>只有收费员可以收款。</translation>
    </message>
    <message>
        <source>{file}: the payments posted ({posted} yuan) do not agree with the file ({collected} yuan).</source>
        <translation>{file}：已入账金额（{posted} 元）与文件（{collected} 元）不符。</translation>
    </message>
    <message>
        <source>{file}, line {line}: a quoted cell is never closed; the file seems cut off.</source>
        <translation>{file}，第 {line} 行：引号内的单元格没有结束，文件似乎不完整。</translation>
    </message>
    <message>
        <source>{file}, line {line}: the line is not valid CSV.</source>
        <translation>{file}，第 {line} 行：该行不是有效的 CSV。</translation>
    </message>
    <message>
        <source>{file}, line {line}: the last line has {count} of {expected} cells and no line end; the file seems cut off.</source>
        <translation>{file}，第 {line} 行：最后一行只有 {count} 个单元格（应为 {expected} 个）且没有换行，文件似乎不完整。</translation>
    </message>
    <message>
        <source>{file}, line {line}: {count} cells where the header has {expected}.</source>
        <translation>{file}，第 {line} 行：有 {count} 个单元格，表头为 {expected} 列。</translation>
    </message>
    <message>
        <source>{file}: cannot be read as an Excel workbook ({reason}).</source>
        <translation>{file}：无法作为 Excel 工作簿读取（{reason}）。</translation>
    </message>
    <message>
        <source>{file}: the workbook has no sheet “{sheet}”.</source>
        <translation>{file}：工作簿中没有工作表“{sheet}”。</translation>
    </message>
    <message>
        <source>{file}, line {line}, column {column}: a formula without a saved value; open and save the workbook in Excel, or paste the values.</source>
        <translation>{file}，第 {line} 行，{column} 列：公式没有保存的计算值，请在 Excel 中打开并保存工作簿，或粘贴为数值。</translation>
    </message>
    <message>
        <source>{file}, line {line}: the last line has no line end; the file seems cut off.</source>
        <translation>{file}，第 {line} 行：最后一行没有换行，文件似乎不完整。</translation>
    </message>
    <message>
        <source>{file}, line {line}: the line is {count} characters long where the layout needs {expected}.</source>
        <translation>{file}，第 {line} 行：该行长度为 {count}，格式要求 {expected}。</translation>
    </message>
    <message>
        <source>{file}, line {line}, column {column}: the text is not in the encoding {encoding}.</source>
        <translation>{file}，第 {line} 行，{column} 列：文本不是 {encoding} 编码。</translation>
    </message>
    <message>
        <source>the customer refused text messages</source>
        <translation>客户已拒收短信</translation>
    </message>
    <message>
        <source>cancelled at the counter</source>
        <translation>已在柜台取消</translation>
    </message>
    <message>
        <source>The SMS gateway is not set: an administrator sets notices.gateway_url, notices.gateway_account and notices.gateway_key.</source>
        <translation>尚未设置短信网关：请管理员设置 notices.gateway_url、notices.gateway_account 和 notices.gateway_key。</translation>
    </message>
    <message>
        <source>This is a station: its notices go to the centre with the sync bundles and the centre sends them ({count} queued here in all; their status is at the centre).</source>
        <translation>本机是供电所站点：短信通知随同步包送到中心，由中心发送（本站共排队 {count} 条；发送状态以中心为准）。</translation>
    </message>
    <message>
        <source>{file}: [{key}] needs a text.</source>
        <translation>{file}：[{key}] 需要填写文字。</translation>
    </message>
    <message>
        <source>{file}: the text of [{key}] has an unmatched brace {{ or }}.</source>
        <translation>{file}：[{key}] 的文字中有不成对的花括号 {{ 或 }}。</translation>
    </message>
    <message>
        <source>{file}: the text of [{key}] uses {{{name}}}, which this kind does not fill in; it may use {allowed}.</source>
        <translation>{file}：[{key}] 的文字用了 {{{name}}}，此类通知不填写该项；可用的有 {allowed}。</translation>
    </message>
    <message>
        <source>{file}: the section [{key}] is missing.</source>
        <translation>{file}：缺少 [{key}] 一节。</translation>
    </message>
    <message>
        <source>Only a supervisor sends the notices of a planned outage.</source>
        <translation>只有值班主管可以发送计划停电通知。</translation>
    </message>
    <message>
        <source>There is no receipt {number}.</source>
        <translation>没有收据 {number}。</translation>
    </message>
    <message>
        <source>Receipt {number} is a reversal; no message is sent for it.</source>
        <translation>收据 {number} 是冲正记录，不为其发送短信。</translation>
    </message>
    <message>
        <source>This customer file no longer exists.</source>
        <translation>该客户档案已不存在。</translation>
    </message>
    <message>
        <source>Log in first.</source>
        <translation>请先登录。</translation>
    </message>
    <message>
        <source>At a station the centre sends, retries and cancels the notices.</source>
        <translation>营业站的短信由中心发送、重试和取消。</translation>
    </message>
    <message>
        <source>This notice no longer exists.</source>
        <translation>该短信已不存在。</translation>
    </message>
    <message>
        <source>Only a failed notice is tried again.</source>
        <translation>只有发送失败的短信可以重新发送。</translation>
    </message>
    <message>
        <source>Only a notice that waits or failed is cancelled; a sent or cancelled one stays as it is.</source>
        <translation>只有待发或发送失败的短信可以取消；已发送或已取消的保持不变。</translation>
    </message>
    <message>
        <source>The customer refused text messages; the notice is not sent.</source>
        <translation>客户已拒收短信，不发送该短信。</translation>
    </message>
    <message>
        <source>No meter has the number {meter_no}.</source>
        <translation>没有表号为 {meter_no} 的电表。</translation>
    </message>
    <message>
        <source>Meter {meter_no} is removed or its account is closed.</source>
        <translation>电表 {meter_no} 已拆除或其户号已销户。</translation>
    </message>
    <message>
        <source>Meter {meter_no} has no register “{register}”.</source>
        <translation>电表 {meter_no} 没有“{register}”示数。</translation>
    </message>
    <message>
        <source>Meter {meter_no} has the registers {registers}; the register column is empty.</source>
        <translation>电表 {meter_no} 有示数 {registers}，但示数类型列为空。</translation>
    </message>
    <message>
        <source>The same meter and register as line {first}.</source>
        <translation>与第 {first} 行的电表和示数类型相同。</translation>
    </message>
    <message>
        <source>Meter {meter_no} already has a reading for {period}.</source>
        <translation>电表 {meter_no} 已有 {period} 期的抄表数。</translation>
    </message>
    <message>
        <source>Meter {meter_no} already has readings up to {latest}, after {period}.</source>
        <translation>电表 {meter_no} 已有到 {latest} 期的抄表数，晚于 {period} 期。</translation>
    </message>
    <message>
        <source>The reading {current} is below the previous reading {previous}: a roll-over past {top} (usage {usage}) or mistyped?</source>
        <translation>本次示数 {current} 小于上次示数 {previous}：是走过 {top} 翻转（用量 {usage}），还是录错了？</translation>
    </message>
    <message>
        <source>The reading {current} is below the previous reading {previous} and a roll-over would mean a usage of {usage}: most likely mistyped.</source>
        <translation>本次示数 {current} 小于上次示数 {previous}，若为翻转则用量为 {usage}：很可能录错了。</translation>
    </message>
    <message>
        <source>Usage {usage} is more than three times the usual {usual}.</source>
        <translation>用量 {usage} 超过平常用量 {usual} 的三倍。</translation>
    </message>
    <message>
        <source>Read on {read_on}, outside the period {period}.</source>
        <translation>抄表日期 {read_on} 不在 {period} 期内。</translation>
    </message>
    <message>
        <source>Read on {read_on}, after today.</source>
        <translation>抄表日期 {read_on} 晚于今天。</translation>
    </message>
    <message>
        <source>Accepted by the clerk: {reason}</source>
        <translation>已由操作员确认：{reason}</translation>
    </message>
    <message>
        <source>No readings source “{name}” (known: {known}).</source>
        <translation>没有抄表数据来源“{name}”（已有：{known}）。</translation>
    </message>
    <message>
        <source>{file}, line {line}, column {column}: “{value}” is not a register of this source.</source>
        <translation>{file}，第 {line} 行，{column} 列：“{value}”不是该来源的示数类型。</translation>
    </message>
    <message>
        <source>{file}: the file has no rows of readings.</source>
        <translation>{file}：文件中没有抄表数据行。</translation>
    </message>
    <message>
        <source>This import no longer exists.</source>
        <translation>该导入记录已不存在。</translation>
    </message>
    <message>
        <source>This import row no longer exists.</source>
        <translation>该导入行已不存在。</translation>
    </message>
    <message>
        <source>Line {line} is posted already; correct the reading itself.</source>
        <translation>第 {line} 行已入账，请直接更正该抄表数。</translation>
    </message>
    <message>
        <source>Only a warned row can be accepted.</source>
        <translation>只有警告的行可以确认接受。</translation>
    </message>
    <message>
        <source>{file}: “{key}” is missing or not what a channel profile needs.</source>
        <translation>{file}：“{key}”缺失或不符合支付渠道配置的要求。</translation>
    </message>
    <message>
        <source>There is no payment channel “{name}” (known: {known}).</source>
        <translation>没有支付渠道“{name}”（已有：{known}）。</translation>
    </message>
    <message>
        <source>{file}, line {line}, column {column}: “{value}” is not a date and time (YYYY-MM-DD HH:MM:SS).</source>
        <translation>{file}，第 {line} 行，{column} 列：“{value}”不是日期时间（YYYY-MM-DD HH:MM:SS）。</translation>
    </message>
    <message>
        <source>{file}, line {line}: a line after the total line (line {total}).</source>
        <translation>{file}，第 {line} 行：合计行（第 {total} 行）之后还有数据行。</translation>
    </message>
    <message>
        <source>{file}, line {line}, column {column}: reference {value} is on line {first} already.</source>
        <translation>{file}，第 {line} 行，{column} 列：参考号 {value} 在第 {first} 行已出现。</translation>
    </message>
    <message>
        <source>{file}, line {line}, column {column}: the reference is longer than 80 characters.</source>
        <translation>{file}，第 {line} 行，{column} 列：参考号超过 80 个字符。</translation>
    </message>
    <message>
        <source>{file}, line {line}, column {column}: the amount {value} is not above zero.</source>
        <translation>{file}，第 {line} 行，{column} 列：金额 {value} 不大于零。</translation>
    </message>
    <message>
        <source>{file}: the total line ({marker}) is missing; the file seems cut off. Nothing was imported.</source>
        <translation>{file}：缺少合计行（{marker}），文件似乎不完整。未导入任何内容。</translation>
    </message>
    <message>
        <source>{file}, line {line}, column {column}: “{value}” is not the number of lines.</source>
        <translation>{file}，第 {line} 行，{column} 列：“{value}”不是笔数。</translation>
    </message>
    <message>
        <source>{file}, line {line}: the total line says {count} lines and {total} yuan, the file has {lines} lines and {sum} yuan; it was cut or changed. Nothing was imported.</source>
        <translation>{file}，第 {line} 行：合计行为 {count} 笔 {total} 元，文件实有 {lines} 笔 {sum} 元；文件不完整或被改动。未导入任何内容。</translation>
    </message>
    <message>
        <source>{file}: the statement has no lines.</source>
        <translation>{file}：对账单没有数据行。</translation>
    </message>
    <message>
        <source>{file}, line {line}, column {column}: {value} is not the statement&apos;s day {day} (line {first}); a statement covers one day.</source>
        <translation>{file}，第 {line} 行，{column} 列：{value} 不是对账日 {day}（第 {first} 行）；一份对账单只含一天。</translation>
    </message>
    <message>
        <source>Only a supervisor imports and reconciles payment-channel statements.</source>
        <translation>只有值班主管可以导入支付渠道对账单并对账。</translation>
    </message>
    <message>
        <source>Only a supervisor resolves a difference of a statement.</source>
        <translation>只有值班主管可以处理对账差异。</translation>
    </message>
    <message>
        <source>Say what was done about this difference.</source>
        <translation>请说明对此差异的处理情况。</translation>
    </message>
    <message>
        <source>At most {count} characters; this has {length}.</source>
        <translation>最多 {count} 个字符，现有 {length} 个。</translation>
    </message>
    <message>
        <source>This difference no longer exists.</source>
        <translation>该差异已不存在。</translation>
    </message>
    <message>
        <source>This difference was resolved already.</source>
        <translation>该差异已处理过。</translation>
    </message>
</context>
<context>
    <name>notices</name>
    <message>
        <source>queued</source>
        <translation>排队中</translation>
    </message>
    <message>
        <source>retrying</source>
        <translation>待重试</translation>
    </message>
    <message>
        <source>sent</source>
        <translation>已发送</translation>
    </message>
    <message>
        <source>failed</source>
        <translation>失败</translation>
    </message>
    <message>
        <source>cancelled</source>
        <translation>已取消</translation>
    </message>
    <message>
        <source>arrears reminder</source>
        <translation>欠费提醒</translation>
    </message>
    <message>
        <source>suspension notice</source>
        <translation>停供通知</translation>
    </message>
    <message>
        <source>planned outage</source>
        <translation>计划停电</translation>
    </message>
    <message>
        <source>matter registered</source>
        <translation>工单受理</translation>
    </message>
    <message>
        <source>matter replied</source>
        <translation>工单答复</translation>
    </message>
    <message>
        <source>receipt</source>
        <translation>缴费凭证</translation>
    </message>
</context>
<context>
    <name>reconcile</name>
    <message>
        <source>On the statement, no counter payment</source>
        <translation>对账单有、柜台无此笔</translation>
    </message>
    <message>
        <source>Counter payment not on the statement</source>
        <translation>柜台有、对账单无此笔</translation>
    </message>
    <message>
        <source>Amounts differ</source>
        <translation>金额不符</translation>
    </message>
    <message>
        <source>open</source>
        <translation>待处理</translation>
    </message>
    <message>
        <source>resolved</source>
        <translation>已处理</translation>
    </message>
    <message>
        <source>matched by a later file</source>
        <translation>后续对账单已对上</translation>
    </message>
</context>
</TS>
