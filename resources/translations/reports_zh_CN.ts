<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="zh_CN" sourcelanguage="en">
<context>
    <name>ArrearsListDialog</name>
    <message>
        <source>every route</source>
        <translation>全部抄表段</translation>
    </message>
    <message>
        <source>Accounts in arrears: %1, %2</source>
        <translation>欠费户清单：%1，%2</translation>
    </message>
    <message>
        <source>%1 accounts on %2</source>
        <translation>%2 共 %1 户</translation>
    </message>
    <message>
        <source>Excel…</source>
        <translation>导出 Excel…</translation>
    </message>
    <message>
        <source>Print reminders for these accounts…</source>
        <translation>打印这些户的催费通知单…</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>Save the list as Excel</source>
        <translation>将清单保存为 Excel</translation>
    </message>
    <message>
        <source>Excel workbook (*.xlsx)</source>
        <translation>Excel 工作簿 (*.xlsx)</translation>
    </message>
    <message>
        <source>Not saved</source>
        <translation>未保存</translation>
    </message>
    <message>
        <source>The workbook was not saved: %1</source>
        <translation>工作簿未保存：%1</translation>
    </message>
    <message>
        <source>Saved</source>
        <translation>已保存</translation>
    </message>
    <message>
        <source>The list was saved to %1.</source>
        <translation>清单已保存到 %1。</translation>
    </message>
</context>
<context>
    <name>DunningDialog</name>
    <message>
        <source>Arrears reminders</source>
        <translation>催费通知单</translation>
    </message>
    <message>
        <source>account number</source>
        <translation>户号</translation>
    </message>
    <message>
        <source>or a whole route (supervisors)</source>
        <translation>或整个抄表段（限班长）</translation>
    </message>
    <message>
        <source>Print…</source>
        <translation>打印…</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Account</source>
        <translation>户号</translation>
    </message>
    <message>
        <source>Route</source>
        <translation>抄表段</translation>
    </message>
    <message>
        <source>Late fee counted to</source>
        <translation>违约金计至</translation>
    </message>
</context>
<context>
    <name>ReportScreen</name>
    <message>
        <source>Nothing to show for this period.</source>
        <translation>该期间没有数据。</translation>
    </message>
    <message>
        <source>Reports</source>
        <translation>报表</translation>
    </message>
    <message>
        <source>Collected by</source>
        <translation>实收截至</translation>
    </message>
    <message>
        <source>all</source>
        <translation>全部</translation>
    </message>
    <message>
        <source>Electricity</source>
        <translation>电</translation>
    </message>
    <message>
        <source>Water</source>
        <translation>水</translation>
    </message>
    <message>
        <source>Show (Enter)</source>
        <translation>查询（Enter）</translation>
    </message>
    <message>
        <source>Report</source>
        <translation>报表</translation>
    </message>
    <message>
        <source>From</source>
        <translation>从</translation>
    </message>
    <message>
        <source>To</source>
        <translation>至</translation>
    </message>
    <message>
        <source>Station</source>
        <translation>供电所</translation>
    </message>
    <message>
        <source>Route</source>
        <translation>抄表段</translation>
    </message>
    <message>
        <source>Clerk</source>
        <translation>收费员</translation>
    </message>
    <message>
        <source>Service</source>
        <translation>业务</translation>
    </message>
    <message>
        <source>Excel…</source>
        <translation>导出 Excel…</translation>
    </message>
    <message>
        <source>Print…</source>
        <translation>打印…</translation>
    </message>
    <message>
        <source>Print reminders for the route…</source>
        <translation>打印该抄表段催费通知单…</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>Table</source>
        <translation>表格</translation>
    </message>
    <message>
        <source>Accounts in arrears</source>
        <translation>欠费户清单</translation>
    </message>
    <message>
        <source>Save the report as Excel</source>
        <translation>将报表保存为 Excel</translation>
    </message>
    <message>
        <source>Excel workbook (*.xlsx)</source>
        <translation>Excel 工作簿 (*.xlsx)</translation>
    </message>
    <message>
        <source>Not saved</source>
        <translation>未保存</translation>
    </message>
    <message>
        <source>The workbook was not saved: %1</source>
        <translation>工作簿未保存：%1</translation>
    </message>
    <message>
        <source>Saved</source>
        <translation>已保存</translation>
    </message>
    <message>
        <source>The report was saved to %1.</source>
        <translation>报表已保存到 %1。</translation>
    </message>
    <message>
        <source>Arrears reminders</source>
        <translation>催费通知单</translation>
    </message>
    <message>
        <source>Choose a route in the table first.</source>
        <translation>请先在表格中选择一个抄表段。</translation>
    </message>
</context>
<context>
    <name>ReportsPlugin</name>
    <message>
        <source>Last arrears reminder %1: %2</source>
        <translation>最近一次催费 %1：%2</translation>
    </message>
    <message>
        <source>Collections…</source>
        <translation>收费日报…</translation>
    </message>
    <message>
        <source>Collection rate…</source>
        <translation>电费回收率…</translation>
    </message>
    <message>
        <source>Arrears ageing…</source>
        <translation>欠费账龄…</translation>
    </message>
    <message>
        <source>Sales by tariff…</source>
        <translation>售电（水）量…</translation>
    </message>
    <message>
        <source>Readings…</source>
        <translation>抄表完成率…</translation>
    </message>
    <message>
        <source>Requests…</source>
        <translation>工单统计…</translation>
    </message>
    <message>
        <source>Service ratings and queue…</source>
        <translation>服务评价与排队…</translation>
    </message>
    <message>
        <source>Arrears reminders…</source>
        <translation>催费通知单…</translation>
    </message>
</context>
<context>
    <name>cli</name>
    <message>
        <source>--{name} is for the ageing report only</source>
        <translation>--{name} 只用于欠费账龄报表</translation>
    </message>
    <message>
        <source>--cutoff is for the collection-rate report only</source>
        <translation>--cutoff 只用于电费回收率报表</translation>
    </message>
    <message>
        <source>--pdf prints the whole report; the account list goes to --xlsx or --json</source>
        <translation>--pdf 打印整张报表；欠费户清单请用 --xlsx 或 --json 输出</translation>
    </message>
</context>
<context>
    <name>messages</name>
    <message>
        <source>The period ends before it starts.</source>
        <translation>结束日期早于开始日期。</translation>
    </message>
    <message>
        <source>A report covers at most three years; choose a shorter period.</source>
        <translation>报表期间最长三年，请缩短期间。</translation>
    </message>
    <message>
        <source>The cut-off day is before the period starts.</source>
        <translation>截止日早于期间开始日。</translation>
    </message>
    <message>
        <source>The service is electricity or water.</source>
        <translation>业务类别只能是电或水。</translation>
    </message>
    <message>
        <source>Reports are for supervisors and administrators, not for clerks.</source>
        <translation>报表仅供班长和管理员查看，营业员无权查看。</translation>
    </message>
    <message>
        <source>There is no report “{name}”.</source>
        <translation>没有名为“{name}”的报表。</translation>
    </message>
    <message>
        <source>A bucket's reminders are for a route or every route, not one account.</source>
        <translation>按账龄段催费针对一个抄表段或全部抄表段，不针对单户。</translation>
    </message>
    <message>
        <source>Only a supervisor prints the reminders of a whole route.</source>
        <translation>只有班长可以打印整个抄表段的催费通知单。</translation>
    </message>
    <message>
        <source>Name a route or an account.</source>
        <translation>请指定抄表段或户号。</translation>
    </message>
    <message>
        <source>No account {what}.</source>
        <translation>没有 {what} 的用户。</translation>
    </message>
    <message>
        <source>Nothing is owed on {what} on {day}: no reminder to print.</source>
        <translation>截至 {day}，{what} 没有欠费，无需打印催费通知单。</translation>
    </message>
    <message>
        <source>There is no bucket “{name}”: not-due, 1-30, 31-90, 91-180 or over-180.</source>
        <translation>没有账龄段“{name}”：可用 not-due、1-30、31-90、91-180 或 over-180。</translation>
    </message>
</context>
<context>
    <name>printing</name>
    <message>
        <source>Account %1    %2</source>
        <translation>户号 %1    户名 %2</translation>
    </message>
    <message>
        <source>Supply address: %1</source>
        <translation>用电地址：%1</translation>
    </message>
    <message>
        <source>Usage (%1)</source>
        <translation>用量（%1）</translation>
    </message>
    <message>
        <source>Period</source>
        <translation>账期</translation>
    </message>
    <message>
        <source>Due date</source>
        <translation>缴费截止日</translation>
    </message>
    <message>
        <source>Charges owed</source>
        <translation>欠费金额</translation>
    </message>
    <message>
        <source>Late fee</source>
        <translation>违约金</translation>
    </message>
    <message>
        <source>Arrears reminder</source>
        <translation>催费通知单</translation>
    </message>
    <message>
        <source>Dear customer, our records show these charges unpaid on %1:</source>
        <translation>尊敬的客户：截至 %1，您有以下费用尚未缴纳：</translation>
    </message>
    <message>
        <source>Total to pay: %1 (late fee counted to %2; it grows each day until paid)</source>
        <translation>合计应缴：%1（违约金计至 %2，缴清前逐日增加）</translation>
    </message>
    <message>
        <source>How to pay: at %1 (%2) in cash, by bank card or QR code; ask at the counter about bank collection. Questions: call %3.</source>
        <translation>缴费方式：请到%1（%2）以现金、银行卡或扫码缴费；如需办理银行代扣请咨询营业厅。咨询电话：%3。</translation>
    </message>
    <message>
        <source>Advance notice of suspension: these arrears are past the company's limit. If they are not paid by %1, supply will be suspended according to the supply rules, and reconnected within 24 hours of payment.</source>
        <translation>停电预告：您的欠费已超过规定期限。如在 %1 前仍未缴清，将依照供用电规则中止供电；缴清后 24 小时内恢复供电。</translation>
    </message>
    <message>
        <source>REPRINT (%1)</source>
        <translation>重打（第%1次）</translation>
    </message>
    <message>
        <source>others</source>
        <translation>其他</translation>
    </message>
    <message>
        <source>%1 · printed %2 · page %3</source>
        <translation>%1 · 打印于 %2 · 第 %3 页</translation>
    </message>
    <message>
        <source>Arrears reminder sent: %1 owed, late fee counted to %2</source>
        <translation>已发催费通知单：欠费 %1，违约金计至 %2</translation>
    </message>
    <message>
        <source>; advance notice of suspension from %1</source>
        <translation>；停电预告，%1 起</translation>
    </message>
</context>
<context>
    <name>reports</name>
    <message>
        <source>Collections</source>
        <translation>收费日报</translation>
    </message>
    <message>
        <source>Collection rate</source>
        <translation>电费回收率</translation>
    </message>
    <message>
        <source>Arrears ageing</source>
        <translation>欠费账龄</translation>
    </message>
    <message>
        <source>Sales by tariff</source>
        <translation>售电（水）量</translation>
    </message>
    <message>
        <source>Readings</source>
        <translation>抄表完成率</translation>
    </message>
    <message>
        <source>Requests</source>
        <translation>工单统计</translation>
    </message>
    <message>
        <source>Service ratings and queue</source>
        <translation>服务评价与排队</translation>
    </message>
    <message>
        <source>Day</source>
        <translation>日期</translation>
    </message>
    <message>
        <source>Clerk</source>
        <translation>收费员</translation>
    </message>
    <message>
        <source>Method</source>
        <translation>收费方式</translation>
    </message>
    <message>
        <source>Payments</source>
        <translation>笔数</translation>
    </message>
    <message>
        <source>Taken</source>
        <translation>收款</translation>
    </message>
    <message>
        <source>Reversed</source>
        <translation>冲正</translation>
    </message>
    <message>
        <source>Net</source>
        <translation>净额</translation>
    </message>
    <message>
        <source>Opened</source>
        <translation>开班时间</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Cash expected</source>
        <translation>应交现金</translation>
    </message>
    <message>
        <source>Difference</source>
        <translation>差额</translation>
    </message>
    <message>
        <source>Cash handed over per shift</source>
        <translation>各班次现金交接</translation>
    </message>
    <message>
        <source>Period</source>
        <translation>账期</translation>
    </message>
    <message>
        <source>Route</source>
        <translation>抄表段</translation>
    </message>
    <message>
        <source>Usage category</source>
        <translation>用电类别</translation>
    </message>
    <message>
        <source>Bills</source>
        <translation>账单数</translation>
    </message>
    <message>
        <source>Billed</source>
        <translation>应收</translation>
    </message>
    <message>
        <source>Collected</source>
        <translation>实收</translation>
    </message>
    <message>
        <source>Rate %</source>
        <translation>回收率 %</translation>
    </message>
    <message>
        <source>Month on month</source>
        <translation>逐月对比</translation>
    </message>
    <message>
        <source>Not yet due</source>
        <translation>未到期</translation>
    </message>
    <message>
        <source>1–30 days</source>
        <translation>1–30 天</translation>
    </message>
    <message>
        <source>31–90 days</source>
        <translation>31–90 天</translation>
    </message>
    <message>
        <source>91–180 days</source>
        <translation>91–180 天</translation>
    </message>
    <message>
        <source>Over 180 days</source>
        <translation>180 天以上</translation>
    </message>
    <message>
        <source>Accounts</source>
        <translation>户数</translation>
    </message>
    <message>
        <source>Principal owed</source>
        <translation>欠费本金</translation>
    </message>
    <message>
        <source>Late fees</source>
        <translation>违约金</translation>
    </message>
    <message>
        <source>Account</source>
        <translation>户号</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>户名</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>电话</translation>
    </message>
    <message>
        <source>Oldest arrears</source>
        <translation>最早欠费账龄</translation>
    </message>
    <message>
        <source>Oldest due date</source>
        <translation>最早到期日</translation>
    </message>
    <message>
        <source>Accounts in arrears</source>
        <translation>欠费户清单</translation>
    </message>
    <message>
        <source>Tariff</source>
        <translation>电价</translation>
    </message>
    <message>
        <source>Tier or register</source>
        <translation>档位/时段</translation>
    </message>
    <message>
        <source>Quantity</source>
        <translation>数量</translation>
    </message>
    <message>
        <source>Amount</source>
        <translation>金额</translation>
    </message>
    <message>
        <source>Meters due</source>
        <translation>应抄表数</translation>
    </message>
    <message>
        <source>Meters read</source>
        <translation>实抄表数</translation>
    </message>
    <message>
        <source>Done %</source>
        <translation>完成率 %</translation>
    </message>
    <message>
        <source>Zero usage</source>
        <translation>零电量</translation>
    </message>
    <message>
        <source>Far above usual</source>
        <translation>电量突增</translation>
    </message>
    <message>
        <source>Roll-over</source>
        <translation>翻转</translation>
    </message>
    <message>
        <source>Meter</source>
        <translation>表号</translation>
    </message>
    <message>
        <source>Usage</source>
        <translation>用量</translation>
    </message>
    <message>
        <source>Usual</source>
        <translation>平均用量</translation>
    </message>
    <message>
        <source>Anomaly</source>
        <translation>异常</translation>
    </message>
    <message>
        <source>Anomalies</source>
        <translation>异常清单</translation>
    </message>
    <message>
        <source>zero usage</source>
        <translation>零电量</translation>
    </message>
    <message>
        <source>far above usual</source>
        <translation>电量突增</translation>
    </message>
    <message>
        <source>roll-over</source>
        <translation>表码翻转</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>类别</translation>
    </message>
    <message>
        <source>Cause</source>
        <translation>原因</translation>
    </message>
    <message>
        <source>Severity</source>
        <translation>等级</translation>
    </message>
    <message>
        <source>Registered</source>
        <translation>受理数</translation>
    </message>
    <message>
        <source>Open</source>
        <translation>未办结</translation>
    </message>
    <message>
        <source>Closed</source>
        <translation>已办结</translation>
    </message>
    <message>
        <source>Closed in time</source>
        <translation>按时办结</translation>
    </message>
    <message>
        <source>In time %</source>
        <translation>限时办结率 %</translation>
    </message>
    <message>
        <source>First contact due</source>
        <translation>应首次联系</translation>
    </message>
    <message>
        <source>Contacted in time</source>
        <translation>按时联系</translation>
    </message>
    <message>
        <source>Repeat complaints</source>
        <translation>重复投诉</translation>
    </message>
    <message>
        <source>Called back</source>
        <translation>已回访</translation>
    </message>
    <message>
        <source>Satisfied</source>
        <translation>满意</translation>
    </message>
    <message>
        <source>Satisfied %</source>
        <translation>满意率 %</translation>
    </message>
    <message>
        <source>Owner</source>
        <translation>首问负责人</translation>
    </message>
    <message>
        <source>Department</source>
        <translation>部门</translation>
    </message>
    <message>
        <source>By owner</source>
        <translation>按负责人</translation>
    </message>
    <message>
        <source>Total</source>
        <translation>合计</translation>
    </message>
    <message>
        <source>%1 reminders written to %2</source>
        <translation>已将 %1 份催费通知单写入 %2</translation>
    </message>
    <message>
        <source>Residential</source>
        <translation>居民生活</translation>
    </message>
    <message>
        <source>General commercial &amp; industrial</source>
        <translation>一般工商业</translation>
    </message>
    <message>
        <source>Large industry</source>
        <translation>大工业</translation>
    </message>
    <message>
        <source>Agriculture</source>
        <translation>农业生产</translation>
    </message>
    <message>
        <source>Non-residential</source>
        <translation>非居民</translation>
    </message>
    <message>
        <source>Special</source>
        <translation>特种</translation>
    </message>
    <message>
        <source>open</source>
        <translation>未交班</translation>
    </message>
    <message>
        <source>closed</source>
        <translation>已交班</translation>
    </message>
    <message>
        <source>signed off</source>
        <translation>已签核</translation>
    </message>
    <message>
        <source>(no route)</source>
        <translation>（无抄表段）</translation>
    </message>
    <message>
        <source>Inquiry</source>
        <translation>咨询</translation>
    </message>
    <message>
        <source>Payment</source>
        <translation>缴费</translation>
    </message>
    <message>
        <source>Application</source>
        <translation>业务受理</translation>
    </message>
    <message>
        <source>Complaint</source>
        <translation>投诉</translation>
    </message>
    <message>
        <source>Opinion</source>
        <translation>意见建议</translation>
    </message>
    <message>
        <source>Fault report</source>
        <translation>故障报修</translation>
    </message>
    <message>
        <source>Other</source>
        <translation>其他</translation>
    </message>
    <message>
        <source>Arrears reminder</source>
        <translation>催费通知</translation>
    </message>
    <message>
        <source>station</source>
        <translation>供电所</translation>
    </message>
    <message>
        <source>route</source>
        <translation>抄表段</translation>
    </message>
    <message>
        <source>clerk</source>
        <translation>收费员</translation>
    </message>
    <message>
        <source>service</source>
        <translation>业务</translation>
    </message>
    <message>
        <source>collected by</source>
        <translation>实收截至</translation>
    </message>
    <message>
        <source>Printed by %1</source>
        <translation>打印人：%1</translation>
    </message>
    <message>
        <source>Rated</source>
        <translation>已评价</translation>
    </message>
    <message>
        <source>Very satisfied</source>
        <translation>非常满意</translation>
    </message>
    <message>
        <source>Neutral</source>
        <translation>一般</translation>
    </message>
    <message>
        <source>Dissatisfied</source>
        <translation>不满意</translation>
    </message>
    <message>
        <source>Not rated</source>
        <translation>未评价</translation>
    </message>
    <message>
        <source>Business</source>
        <translation>业务类别</translation>
    </message>
    <message>
        <source>Ticket kind</source>
        <translation>号票类别</translation>
    </message>
    <message>
        <source>Tickets</source>
        <translation>号票数</translation>
    </message>
    <message>
        <source>Average wait (min)</source>
        <translation>平均等候（分钟）</translation>
    </message>
    <message>
        <source>Average service (min)</source>
        <translation>平均办理（分钟）</translation>
    </message>
    <message>
        <source>all clerks</source>
        <translation>全部营业员</translation>
    </message>
    <message>
        <source>By kind of business</source>
        <translation>按业务类别</translation>
    </message>
    <message>
        <source>Queue: waiting and service</source>
        <translation>排队：等候与办理</translation>
    </message>
</context>
</TS>