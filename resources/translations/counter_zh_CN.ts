<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN" sourcelanguage="en">
<context>
    <name>CallTicketDialog</name>
    <message>
        <source>Call a ticket (F12)</source>
        <translation>叫号（F12）</translation>
    </message>
    <message>
        <source>Ticket number</source>
        <translation>票号</translation>
    </message>
    <message>
        <source>Time on the ticket (HH:MM, may stay empty)</source>
        <translation>票面取号时间（时:分，可不填）</translation>
    </message>
    <message>
        <source>Call</source>
        <translation>叫号</translation>
    </message>
    <message>
        <source>Not called</source>
        <translation>未叫号</translation>
    </message>
</context>
<context>
    <name>CounterDisplayDialog</name>
    <message>
        <source>Customer display and queue</source>
        <translation>客户显示屏与叫号</translation>
    </message>
    <message>
        <source>Screens seen: %1. The customer display opens on the chosen screen when the computer has two or more; with one screen it does not open.</source>
        <translation>检测到 %1 块屏幕。电脑接有两块或以上屏幕时，客户显示屏在所选屏幕上打开；只有一块屏幕时不打开。</translation>
    </message>
    <message>
        <source>None (no customer display)</source>
        <translation>无（不用客户显示屏）</translation>
    </message>
    <message>
        <source>(main screen)</source>
        <translation>（主屏）</translation>
    </message>
    <message>
        <source>%1 (not connected now)</source>
        <translation>%1（当前未连接）</translation>
    </message>
    <message>
        <source>Screen facing the customer</source>
        <translation>面向客户的屏幕</translation>
    </message>
    <message>
        <source>Satisfaction pad waits (seconds, 0 = no pad)</source>
        <translation>评价器等待时间（秒，0 = 不评价）</translation>
    </message>
    <message>
        <source>This counter&apos;s name on the display (e.g. 3)</source>
        <translation>本窗口在显示屏上的名称（如 3）</translation>
    </message>
    <message>
        <source>Ticket letters this counter calls (e.g. AB)</source>
        <translation>本窗口叫号的字母（如 AB）</translation>
    </message>
    <message>
        <source>Ticket machine file (empty = tickets.csv in the data folder)</source>
        <translation>取号机文件（不填 = 数据文件夹中的 tickets.csv）</translation>
    </message>
    <message>
        <source>Not saved</source>
        <translation>未保存</translation>
    </message>
</context>
<context>
    <name>CounterPlugin</name>
    <message>
        <source>Queue</source>
        <translation>叫号</translation>
    </message>
    <message>
        <source>No ticket is being served at this counter.</source>
        <translation>本窗口当前没有正在办理的号。</translation>
    </message>
    <message>
        <source>Call next</source>
        <translation>叫号</translation>
    </message>
    <message>
        <source>Call a ticket by number…</source>
        <translation>按号码叫号…</translation>
    </message>
    <message>
        <source>End the current ticket&apos;s service</source>
        <translation>结束当前号的办理</translation>
    </message>
    <message>
        <source>Customer display and queue…</source>
        <translation>客户显示屏与叫号…</translation>
    </message>
</context>
<context>
    <name>CounterSide</name>
    <message>
        <source>No customer display chosen (Tools &gt; Customer display and queue…).</source>
        <translation>未选择客户显示屏（工具 &gt; 客户显示屏与叫号…）。</translation>
    </message>
    <message>
        <source>Only one screen: the customer display does not open.</source>
        <translation>只有一块屏幕：客户显示屏不打开。</translation>
    </message>
    <message>
        <source>The customer&apos;s screen %1 is not connected.</source>
        <translation>客户屏幕 %1 未连接。</translation>
    </message>
</context>
<context>
    <name>CustomerDisplay</name>
    <message>
        <source>Very satisfied</source>
        <translation>非常满意</translation>
    </message>
    <message>
        <source>Satisfied</source>
        <translation>满意</translation>
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
        <source>CounterDesk — customer display</source>
        <translation>CounterDesk — 客户显示屏</translation>
    </message>
    <message>
        <source>Welcome</source>
        <translation>欢迎光临</translation>
    </message>
    <message>
        <source>Clerk %1 · No. %2</source>
        <translation>营业员 %1 · 工号 %2</translation>
    </message>
    <message>
        <source>Serving you: %1, No. %2</source>
        <translation>为您服务：%1，工号 %2</translation>
    </message>
    <message>
        <source>Ticket %1, please come to counter %2</source>
        <translation>请 %1 号到 %2 号窗口办理</translation>
    </message>
    <message>
        <source>Ticket %1, please come to %2</source>
        <translation>请 %1 号到 %2 办理</translation>
    </message>
    <message>
        <source>Now serving %1</source>
        <translation>正在办理 %1 号</translation>
    </message>
    <message>
        <source>Counter %1</source>
        <translation>%1 号窗口</translation>
    </message>
    <message>
        <source>Account %1 · %2</source>
        <translation>户号 %1 · %2</translation>
    </message>
    <message>
        <source>Period</source>
        <translation>账期</translation>
    </message>
    <message>
        <source>Usage</source>
        <translation>用量</translation>
    </message>
    <message>
        <source>Charges</source>
        <translation>费用</translation>
    </message>
    <message>
        <source>Late fee</source>
        <translation>违约金</translation>
    </message>
    <message>
        <source>and %1 more bills</source>
        <translation>另有 %1 张账单</translation>
    </message>
    <message>
        <source>Nothing owed: the amount goes to the prepaid balance.</source>
        <translation>无欠费：本次金额存入预存余额。</translation>
    </message>
    <message>
        <source>Amount</source>
        <translation>应收金额</translation>
    </message>
    <message>
        <source>Cash tendered</source>
        <translation>实收现金</translation>
    </message>
    <message>
        <source>Change</source>
        <translation>找零</translation>
    </message>
    <message>
        <source>Please check the amount</source>
        <translation>请核对金额</translation>
    </message>
    <message>
        <source>Paid %1</source>
        <translation>已收 %1</translation>
    </message>
    <message>
        <source>Change %1</source>
        <translation>找零 %1</translation>
    </message>
    <message>
        <source>Receipt %1</source>
        <translation>收据号 %1</translation>
    </message>
    <message>
        <source>Payment received, thank you</source>
        <translation>缴费成功，谢谢</translation>
    </message>
    <message>
        <source>Number %1</source>
        <translation>工单号 %1</translation>
    </message>
    <message>
        <source>Owner %1 (No. %2)</source>
        <translation>首问负责人 %1（工号 %2）</translation>
    </message>
    <message>
        <source>Promised by %1</source>
        <translation>承诺办结时间 %1</translation>
    </message>
    <message>
        <source>Your matter is registered</source>
        <translation>您的业务已受理</translation>
    </message>
    <message>
        <source>%1 · phone %2</source>
        <translation>%1 · 联系电话 %2</translation>
    </message>
    <message>
        <source>Please rate our service</source>
        <translation>请对本次服务进行评价</translation>
    </message>
    <message>
        <source>Press 1-4 or touch a button (%1 s)</source>
        <translation>请按 1-4 键或点击按钮（%1 秒）</translation>
    </message>
    <message>
        <source>Thank you for your rating!</source>
        <translation>感谢您的评价！</translation>
    </message>
    <message>
        <source>Thank you!</source>
        <translation>谢谢！</translation>
    </message>
</context>
<context>
    <name>SatisfactionStatus</name>
    <message>
        <source>Sat. %1 (%2)</source>
        <translation>满意 %1（%2）</translation>
    </message>
    <message>
        <source>Today: %1 ratings, %2 satisfied or very satisfied, %3 not rated.</source>
        <translation>今日：评价 %1 次，满意或非常满意 %2 次，未评价 %3 次。</translation>
    </message>
</context>
<context>
    <name>TicketStatus</name>
    <message>
        <source>No. %1</source>
        <translation>叫号 %1</translation>
    </message>
    <message>
        <source>Queue: F12 calls the next ticket, Shift+F12 a number you type.</source>
        <translation>叫号：F12 叫下一个号，Shift+F12 按输入的号码叫号。</translation>
    </message>
</context>
<context>
    <name>messages</name>
    <message>
        <source>Choose one of the listed values.</source>
        <translation>请从列出的选项中选择。</translation>
    </message>
    <message>
        <source>There is no contact record of this service to rate.</source>
        <translation>没有找到这次服务的接触记录，无法评价。</translation>
    </message>
    <message>
        <source>This service has been rated already.</source>
        <translation>这次服务已经评价过。</translation>
    </message>
    <message>
        <source>The end date is before the start date.</source>
        <translation>结束日期早于开始日期。</translation>
    </message>
    <message>
        <source>A ticket number is a letter and digits, e.g. A012.</source>
        <translation>票号由字母和数字组成，如 A012。</translation>
    </message>
    <message>
        <source>The ticket machine&apos;s file {path} cannot be read ({reason}).</source>
        <translation>无法读取取号机文件 {path}（{reason}）。</translation>
    </message>
    <message>
        <source>Ticket {ticket} was called at {time} by counter {counter}.</source>
        <translation>{ticket} 号已于 {time} 由 {counter} 号窗口叫过。</translation>
    </message>
    <message>
        <source>The ticket&apos;s time is later than now.</source>
        <translation>票面时间晚于现在。</translation>
    </message>
    <message>
        <source>No one is waiting: every ticket of {kinds} from the ticket machine has been called.</source>
        <translation>没有等候的客户：取号机的 {kinds} 类号都已叫过。</translation>
    </message>
    <message>
        <source>Other counters called the waiting tickets at the same moment; call again.</source>
        <translation>其他窗口同时叫走了等候的号，请再叫一次。</translation>
    </message>
    <message>
        <source>The settings could not be saved in {path} ({reason}). Check that the disk is not full and try again.</source>
        <translation>设置无法保存到 {path}（{reason}）。请检查磁盘是否已满后重试。</translation>
    </message>
    <message>
        <source>Give the seconds the pad waits: a whole number from 0 (no pad) to {max}.</source>
        <translation>请填写评价器等待的秒数：0（不评价）到 {max} 之间的整数。</translation>
    </message>
    <message>
        <source>At most {count} characters.</source>
        <translation>最多 {count} 个字符。</translation>
    </message>
    <message>
        <source>Give the letters of the tickets this counter calls, e.g. AB.</source>
        <translation>请填写本窗口叫号的字母，如 AB。</translation>
    </message>
    <message>
        <source>The counter settings file {path} cannot be read ({reason}). Open Tools &gt; Customer display and queue… and save the settings again.</source>
        <translation>无法读取本窗口设置文件 {path}（{reason}）。请打开 工具 &gt; 客户显示屏与叫号… 重新保存设置。</translation>
    </message>
    <message>
        <source>The counter settings file {path} is damaged. Open Tools &gt; Customer display and queue… and save the settings again.</source>
        <translation>本窗口设置文件 {path} 已损坏。请打开 工具 &gt; 客户显示屏与叫号… 重新保存设置。</translation>
    </message>
    <message>
        <source>Give the time as HH:MM, e.g. 09:31, or leave it empty.</source>
        <translation>请按 时:分 填写时间，如 09:31，或不填。</translation>
    </message>
</context>
</TS>
