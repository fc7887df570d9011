<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN" sourcelanguage="en">
<context>
    <name>BillingPlugin</name>
    <message>
        <source>Arrears %1 (with late fees), overdue since %2</source>
        <translation>欠费 %1（含违约金），自 %2 起逾期</translation>
    </message>
    <message>
        <source>Bills</source>
        <translation>账单</translation>
    </message>
    <message>
        <source>Print bill</source>
        <translation>打印账单</translation>
    </message>
    <message>
        <source>Price calculator</source>
        <translation>费用试算</translation>
    </message>
    <message>
        <source>Meter readings by route…</source>
        <translation>按抄表段录入示数…</translation>
    </message>
    <message>
        <source>Issue bills for a route…</source>
        <translation>抄表段出账…</translation>
    </message>
    <message>
        <source>Print a route&apos;s bills…</source>
        <translation>打印线路账单…</translation>
    </message>
    <message>
        <source>Import a tariff file…</source>
        <translation>导入电价文件…</translation>
    </message>
</context>
<context>
    <name>BillsPanel</name>
    <message>
        <source>Unpaid</source>
        <translation>未缴</translation>
    </message>
    <message>
        <source>Partly paid</source>
        <translation>部分缴清</translation>
    </message>
    <message>
        <source>Paid</source>
        <translation>已缴清</translation>
    </message>
    <message>
        <source>Void</source>
        <translation>作废</translation>
    </message>
    <message>
        <source>Period</source>
        <translation>周期</translation>
    </message>
    <message>
        <source>Account</source>
        <translation>户号</translation>
    </message>
    <message>
        <source>Usage</source>
        <translation>用量</translation>
    </message>
    <message>
        <source>Amount</source>
        <translation>金额</translation>
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
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Void…</source>
        <translation>作废…</translation>
    </message>
    <message>
        <source>Issue again</source>
        <translation>重新出账</translation>
    </message>
    <message>
        <source>Waive late fee…</source>
        <translation>免收违约金…</translation>
    </message>
    <message>
        <source>Reason:</source>
        <translation>原因：</translation>
    </message>
    <message>
        <source>Void bill %1</source>
        <translation>作废账单 %1</translation>
    </message>
    <message>
        <source>Not issued</source>
        <translation>未出账</translation>
    </message>
    <message>
        <source>Waive the late fee of %1</source>
        <translation>免收 %1 的违约金</translation>
    </message>
    <message>
        <source>No bill</source>
        <translation>没有账单</translation>
    </message>
    <message>
        <source>This customer has no bill to print.</source>
        <translation>该客户没有可打印的账单。</translation>
    </message>
</context>
<context>
    <name>IssueBillsDialog</name>
    <message>
        <source>Issue bills for a route</source>
        <translation>抄表段出账</translation>
    </message>
    <message>
        <source>Print a route&apos;s bills</source>
        <translation>打印线路账单</translation>
    </message>
    <message>
        <source>Reading route</source>
        <translation>抄表段</translation>
    </message>
    <message>
        <source>Period (YYYY-MM)</source>
        <translation>周期（YYYY-MM）</translation>
    </message>
    <message>
        <source>Issue bills</source>
        <translation>开始出账</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Print these bills…</source>
        <translation>打印这些账单…</translation>
    </message>
    <message>
        <source>Write the bills just issued into one PDF (volumes of 5,000 bills), archived and counted as printed.</source>
        <translation>把刚出的账单写成一个 PDF（每 5,000 张一册），存档并计入打印次数。</translation>
    </message>
    <message>
        <source>Print the route&apos;s issued bills…</source>
        <translation>打印本线路已出的账单…</translation>
    </message>
    <message>
        <source>Print every bill of this route and period issued so far, now or before; bills printed before say 重打 with their count.</source>
        <translation>打印本线路本期已出的全部账单（含以前出的）；打印过的账单标“重打”及次数。</translation>
    </message>
    <message>
        <source>Paper:</source>
        <translation>纸张：</translation>
    </message>
    <message>
        <source>The PDF cannot be written: %1</source>
        <translation>无法写入 PDF：%1</translation>
    </message>
    <message>
        <source>Issued %1 bills, total %2.</source>
        <translation>已出账 %1 张，合计 %2 元。</translation>
    </message>
    <message>
        <source>Cancelled: the bills issued so far are kept.</source>
        <translation>已取消：已出的账单保留。</translation>
    </message>
    <message>
        <source>Not issued (%1):</source>
        <translation>未出账（%1 户）：</translation>
    </message>
    <message>
        <source>Print these bills into</source>
        <translation>账单打印到</translation>
    </message>
    <message>
        <source>No bill of route %1 for %2 has been issued, so there is nothing to print.</source>
        <translation>线路 %1 的 %2 账单尚未出，没有可打印的账单。</translation>
    </message>
    <message>
        <source>Printing %1 bills…</source>
        <translation>正在打印 %1 张账单…</translation>
    </message>
    <message>
        <source>Printed %1 bills into %2; the PDF is archived and the bills are counted as printed.</source>
        <translation>已将 %1 张账单打印到 %2；PDF 已存档，账单已计入打印次数。</translation>
    </message>
    <message>
        <source>%1 of them had been printed before and say 重打 with their count.</source>
        <translation>其中 %1 张以前打印过，纸面标有“重打”及次数。</translation>
    </message>
    <message>
        <source>Cancelled: only the bills in the file(s) above were printed.</source>
        <translation>已取消：只有上面文件中的账单算作已打印。</translation>
    </message>
</context>
<context>
    <name>QuoteDialog</name>
    <message>
        <source>Tariff</source>
        <translation>电价</translation>
    </message>
    <message>
        <source>Usage</source>
        <translation>用量</translation>
    </message>
    <message>
        <source>Already used this tier year</source>
        <translation>本阶梯年度已用量</translation>
    </message>
    <message>
        <source>Item</source>
        <translation>项目</translation>
    </message>
    <message>
        <source>Quantity</source>
        <translation>数量</translation>
    </message>
    <message>
        <source>Unit price</source>
        <translation>单价</translation>
    </message>
    <message>
        <source>Amount</source>
        <translation>金额</translation>
    </message>
    <message>
        <source>Water price calculator</source>
        <translation>水费试算</translation>
    </message>
    <message>
        <source>Electricity price calculator</source>
        <translation>电费试算</translation>
    </message>
    <message>
        <source>Water tariff</source>
        <translation>水价</translation>
    </message>
    <message>
        <source>Electricity tariff</source>
        <translation>电价</translation>
    </message>
    <message>
        <source>Usage (%1)</source>
        <translation>用量（%1）</translation>
    </message>
    <message>
        <source>a quantity per register, e.g. %1</source>
        <translation>按时段填写用量，例如 %1</translation>
    </message>
    <message>
        <source>e.g. %1</source>
        <translation>例如 %1</translation>
    </message>
    <message>
        <source>Already used this tier year (%1)</source>
        <translation>本阶梯年度已用（%1）</translation>
    </message>
    <message>
        <source>Already used this tier year (monthly tiers: not used)</source>
        <translation>本阶梯年度已用（按月阶梯，不适用）</translation>
    </message>
    <message>
        <source>No customer is open: choose a tariff and type the usage.</source>
        <translation>未打开客户：请选择电价并输入用量。</translation>
    </message>
    <message>
        <source>Account %1 (%2), tariff %3.</source>
        <translation>户号 %1（%2），执行 %3。</translation>
    </message>
    <message>
        <source>Used in the tier year since %1: %2 %3.</source>
        <translation>自 %1 起本阶梯年度已用 %2 %3。</translation>
    </message>
    <message>
        <source>Larger household: +%1 %2 on every tier bound a month.</source>
        <translation>多人口户：每档每月增加 %1 %2。</translation>
    </message>
    <message>
        <source>Low-income free quota: %1 %2.</source>
        <translation>低保免费额度：%1 %2。</translation>
    </message>
    <message>
        <source>(Another tariff than the account&apos;s is chosen.)</source>
        <translation>（所选电价与该户电价不同。）</translation>
    </message>
    <message>
        <source>Total %1  (%2)</source>
        <translation>合计 %1（%2）</translation>
    </message>
</context>
<context>
    <name>ReadingsScreen</name>
    <message>
        <source>Meter readings by route</source>
        <translation>按抄表段录入示数</translation>
    </message>
    <message>
        <source>Reading route:</source>
        <translation>抄表段：</translation>
    </message>
    <message>
        <source>Period (YYYY-MM):</source>
        <translation>周期（YYYY-MM）：</translation>
    </message>
    <message>
        <source>Load route</source>
        <translation>载入</translation>
    </message>
    <message>
        <source>Read on:</source>
        <translation>抄表日期：</translation>
    </message>
    <message>
        <source>The day the meters were read; applied to the readings entered below.</source>
        <translation>抄表的日期；用于下面录入的示数。</translation>
    </message>
    <message>
        <source>Source:</source>
        <translation>来源：</translation>
    </message>
    <message>
        <source>How the readings entered below were taken.</source>
        <translation>下面录入的示数是怎样得到的。</translation>
    </message>
    <message>
        <source>Current reading:</source>
        <translation>本次示数：</translation>
    </message>
    <message>
        <source>Account no.</source>
        <translation>户号</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>户名</translation>
    </message>
    <message>
        <source>Address</source>
        <translation>地址</translation>
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
        <source>Previous</source>
        <translation>起码</translation>
    </message>
    <message>
        <source>Current</source>
        <translation>止码</translation>
    </message>
    <message>
        <source>Usage</source>
        <translation>用量</translation>
    </message>
    <message>
        <source>Read on</source>
        <translation>抄表日期</translation>
    </message>
    <message>
        <source>Source</source>
        <translation>来源</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>备注</translation>
    </message>
    <message>
        <source>Read on site</source>
        <translation>现场抄见</translation>
    </message>
    <message>
        <source>Estimated</source>
        <translation>估抄</translation>
    </message>
    <message>
        <source>Reported by the customer</source>
        <translation>客户自报</translation>
    </message>
    <message>
        <source>read up to %1: closed</source>
        <translation>已抄至 %1，不可再录</translation>
    </message>
    <message>
        <source>Total</source>
        <translation>总</translation>
    </message>
    <message>
        <source>Peak</source>
        <translation>峰</translation>
    </message>
    <message>
        <source>Flat</source>
        <translation>平</translation>
    </message>
    <message>
        <source>Valley</source>
        <translation>谷</translation>
    </message>
    <message>
        <source>Sharp peak</source>
        <translation>尖峰</translation>
    </message>
    <message>
        <source>%1 of %2 entered</source>
        <translation>已录 %1 / %2</translation>
    </message>
    <message>
        <source> (first reading of a new meter)</source>
        <translation>（新装表首次抄表）</translation>
    </message>
    <message>
        <source>previous %1</source>
        <translation>上次示数 %1</translation>
    </message>
    <message>
        <source>— billed (%1); to correct it a supervisor voids the bill first.</source>
        <translation>—— 已出账（%1）；要更正，须先由主管作废该账单。</translation>
    </message>
    <message>
        <source>Correct a reading</source>
        <translation>更正示数</translation>
    </message>
    <message>
        <source>Meter %1: correct the reading %2 to %3. Reason:</source>
        <translation>表 %1：示数 %2 更正为 %3。原因：</translation>
    </message>
    <message>
        <source>rolled over</source>
        <translation>已翻转</translation>
    </message>
    <message>
        <source>— this meter is read up to %1; a reading for an earlier period can be neither entered nor corrected.</source>
        <translation>—— 此表已抄至 %1，更早周期的示数不能录入也不能更正。</translation>
    </message>
    <message>
        <source>— entered; type the right value and press Enter to correct it.</source>
        <translation>—— 已录入；输入正确示数后按回车即可更正。</translation>
    </message>
    <message>
        <source>Not corrected: the reading stays %1.</source>
        <translation>未更正：示数仍为 %1。</translation>
    </message>
    <message>
        <source>corrected</source>
        <translation>已更正</translation>
    </message>
    <message>
        <source>Check the reading</source>
        <translation>请核对示数</translation>
    </message>
    <message>
        <source>Save it as it is?</source>
        <translation>确定按此保存吗？</translation>
    </message>
</context>
<context>
    <name>RolloverApprovalDialog</name>
    <message>
        <source>Implausible roll-over</source>
        <translation>表码翻转不合理</translation>
    </message>
    <message>
        <source>If the meter really rolled over, a supervisor logs in here to accept it.</source>
        <translation>如果电表确实翻转了，须由主管在此登录确认。</translation>
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
        <source>Accept the roll-over</source>
        <translation>确认翻转</translation>
    </message>
    <message>
        <source>No, re-enter the reading</source>
        <translation>否，重新录入示数</translation>
    </message>
</context>
<context>
    <name>TariffImportDialog</name>
    <message>
        <source>Import a tariff file</source>
        <translation>导入电价文件</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>Tariff file</source>
        <translation>电价文件</translation>
    </message>
    <message>
        <source>Refused; nothing was imported.</source>
        <translation>已拒绝，未导入任何内容。</translation>
    </message>
    <message>
        <source>Imported: %1
Already there: %2</source>
        <translation>已导入：%1
已存在：%2</translation>
    </message>
</context>
<context>
    <name>cli</name>
    <message>
        <source>--registers: “{part}” should be NAME=QUANTITY, e.g. peak=120</source>
        <translation>--registers：“{part}”应写成 名称=数量，例如 peak=120</translation>
    </message>
    <message>
        <source>{reason} (nothing was saved; if it is right, run again with {flag})</source>
        <translation>{reason}（未保存；如确认无误，请加 {flag} 再运行）</translation>
    </message>
</context>
<context>
    <name>messages</name>
    <message>
        <source>Account {account_no} has no meter in service.</source>
        <translation>户号 {account_no} 没有在用的计量表。</translation>
    </message>
    <message>
        <source>Meter {meter_no} has no total reading for {period}.</source>
        <translation>表 {meter_no} 缺少 {period} 的示数。</translation>
    </message>
    <message>
        <source>Meter {meter_no} has no peak reading for {period}.</source>
        <translation>表 {meter_no} 缺少 {period} 的峰时段示数。</translation>
    </message>
    <message>
        <source>Meter {meter_no} has no flat reading for {period}.</source>
        <translation>表 {meter_no} 缺少 {period} 的平时段示数。</translation>
    </message>
    <message>
        <source>Meter {meter_no} has no valley reading for {period}.</source>
        <translation>表 {meter_no} 缺少 {period} 的谷时段示数。</translation>
    </message>
    <message>
        <source>Meter {meter_no} has no sharp-peak reading for {period}.</source>
        <translation>表 {meter_no} 缺少 {period} 的尖峰时段示数。</translation>
    </message>
    <message>
        <source>Account {account_no} is closed.</source>
        <translation>户号 {account_no} 已销户。</translation>
    </message>
    <message>
        <source>Account {account_no} already has a bill for {period}.</source>
        <translation>户号 {account_no} 已有 {period} 的账单。</translation>
    </message>
    <message>
        <source>Account {account_no} has no tariff.</source>
        <translation>户号 {account_no} 未设置电价。</translation>
    </message>
    <message>
        <source>No account has the number {account_no}.</source>
        <translation>没有户号 {account_no}。</translation>
    </message>
    <message>
        <source>Reading route {route} has no accounts.</source>
        <translation>抄表段 {route} 下没有户号。</translation>
    </message>
    <message>
        <source>Only a supervisor can do this; ask a supervisor to approve it.</source>
        <translation>此操作需要主管权限，请主管审批。</translation>
    </message>
    <message>
        <source>Give the reason.</source>
        <translation>请填写原因。</translation>
    </message>
    <message>
        <source>This bill no longer exists.</source>
        <translation>该账单已不存在。</translation>
    </message>
    <message>
        <source>Bill {bill_no} is already void.</source>
        <translation>账单 {bill_no} 已作废。</translation>
    </message>
    <message>
        <source>Bill {bill_no} has payments; reverse them before voiding the bill.</source>
        <translation>账单 {bill_no} 已有缴费，请先冲正缴费再作废账单。</translation>
    </message>
    <message>
        <source>Only a void bill can be issued again.</source>
        <translation>只有已作废的账单才能重新出账。</translation>
    </message>
    <message>
        <source>This account no longer exists.</source>
        <translation>该户号已不存在。</translation>
    </message>
    <message>
        <source>There are no bills to print.</source>
        <translation>没有可打印的账单。</translation>
    </message>
    <message>
        <source>The category is “residential” or “other”.</source>
        <translation>类别为“residential”（居民）或“other”（其他）。</translation>
    </message>
    <message>
        <source>The amount must be zero or more.</source>
        <translation>金额不能为负。</translation>
    </message>
    <message>
        <source>A quantity must be zero or more.</source>
        <translation>数量不能为负。</translation>
    </message>
    <message>
        <source>A quantity is at most {maximum}; check what was typed.</source>
        <translation>数量最多为 {maximum}；请检查输入。</translation>
    </message>
    <message>
        <source>A quantity has at most 3 decimals.</source>
        <translation>数量最多 3 位小数。</translation>
    </message>
    <message>
        <source>Tariff {code} is priced per register ({names}); give a quantity per register.</source>
        <translation>电价 {code} 按时段计价（{names}），请按时段填写电量。</translation>
    </message>
    <message>
        <source>Tariff {code} has no register “{name}”; it has {names}.</source>
        <translation>电价 {code} 没有“{name}”时段，只有 {names}。</translation>
    </message>
    <message>
        <source>Tariff {code} has no time-of-use registers; give the total usage.</source>
        <translation>电价 {code} 不分时段，请填写总用量。</translation>
    </message>
    <message>
        <source>Give the usage.</source>
        <translation>请填写用量。</translation>
    </message>
    <message>
        <source>“{part}” is not a register=quantity pair; write e.g. peak=200 valley=150.</source>
        <translation>“{part}”不是“时段=用量”的写法；例如 峰=200 谷=150。</translation>
    </message>
    <message>
        <source>“{name}” is not a register; use sharp, peak, flat or valley.</source>
        <translation>“{name}”不是计量时段；请用 尖峰、峰、平 或 谷。</translation>
    </message>
    <message>
        <source>The register “{name}” is given twice.</source>
        <translation>时段“{name}”填了两次。</translation>
    </message>
    <message>
        <source>“{text}” is not a quantity; type a number such as 350.</source>
        <translation>“{text}”不是用量；请输入数字，例如 350。</translation>
    </message>
    <message>
        <source>A billing period is written YYYY-MM, e.g. 2026-11.</source>
        <translation>计费周期写作 YYYY-MM，例如 2026-11。</translation>
    </message>
    <message>
        <source>Enter the reading.</source>
        <translation>请输入示数。</translation>
    </message>
    <message>
        <source>“{text}” is not a meter reading.</source>
        <translation>“{text}”不是有效示数。</translation>
    </message>
    <message>
        <source>A meter reading cannot be negative.</source>
        <translation>示数不能为负。</translation>
    </message>
    <message>
        <source>A meter reading has at most 2 decimals.</source>
        <translation>示数最多 2 位小数。</translation>
    </message>
    <message>
        <source>This meter shows at most {digits} digits.</source>
        <translation>该表最多显示 {digits} 位整数。</translation>
    </message>
    <message>
        <source>Choose one of the listed values.</source>
        <translation>请从列出的选项中选择。</translation>
    </message>
    <message>
        <source>This meter no longer exists.</source>
        <translation>该电表已不存在。</translation>
    </message>
    <message>
        <source>Meter {meter_no} has no register “{register}”.</source>
        <translation>电表 {meter_no} 没有“{register}”示数。</translation>
    </message>
    <message>
        <source>Meter {meter_no} already has a reading for {period}; if it is wrong, correct that reading.</source>
        <translation>表 {meter_no} 已有 {period} 的示数；如有错误，请更正该示数。</translation>
    </message>
    <message>
        <source>Meter {meter_no} already has readings up to {latest}; a reading for the earlier period {period} is refused. Enter a period after {latest}.</source>
        <translation>表 {meter_no} 已抄至 {latest}，不能补录更早周期 {period} 的示数。请录入 {latest} 之后的周期。</translation>
    </message>
    <message>
        <source>The reading {current} is below the previous reading {previous}. A roll-over past {top} would mean a usage of {usage} {unit}, far above this meter&apos;s average of {average} {unit}: it was most likely mistyped. Only a supervisor can accept such a roll-over.</source>
        <translation>本次示数 {current} 小于上次示数 {previous}。若按表码过 {top} 翻转计算，用量将为 {usage} {unit}，远高于该表的平均用量 {average} {unit}，很可能是录入错误。此类翻转只能由主管确认。</translation>
    </message>
    <message>
        <source>The reading {current} is below the previous reading {previous}. A roll-over past {top} would mean a usage of {usage} {unit}, more than a tenth of what a meter of {digits} digits can show: it was most likely mistyped. Only a supervisor can accept such a roll-over.</source>
        <translation>本次示数 {current} 小于上次示数 {previous}。若按表码过 {top} 翻转计算，用量将为 {usage} {unit}，超过 {digits} 位表盘量程的十分之一，很可能是录入错误。此类翻转只能由主管确认。</translation>
    </message>
    <message>
        <source>The reading {current} is below the previous reading {previous}. Did the meter roll over past {top} (usage {usage} {unit}), or was it mistyped?</source>
        <translation>本次示数 {current} 小于上次示数 {previous}。是电表过 {top} 翻转了（用量 {usage} {unit}），还是录入错误？</translation>
    </message>
    <message>
        <source>Usage {usage} {unit} is more than three times this meter&apos;s average of {average} {unit}. Check the reading before saving.</source>
        <translation>用量 {usage} {unit} 超过该表平均用量 {average} {unit} 的三倍。请核对示数后再保存。</translation>
    </message>
    <message>
        <source>Meter {meter_no} has no reading for {period} to correct.</source>
        <translation>表 {meter_no} 没有 {period} 的示数，无可更正。</translation>
    </message>
    <message>
        <source>Only the newest reading of a meter can be corrected: meter {meter_no} already has a reading for {latest}, computed from the one for {period}.</source>
        <translation>只能更正一块表最新的示数：表 {meter_no} 已有 {latest} 的示数，它是按 {period} 的示数计算的。</translation>
    </message>
    <message>
        <source>Bill {bill_no} was issued from this reading. A supervisor must void the bill first; then correct the reading and issue the bill again.</source>
        <translation>账单 {bill_no} 是按这个示数出的。须先由主管作废该账单，再更正示数并重新出账。</translation>
    </message>
    <message>
        <source>The reading for {period} is already {current}; there is nothing to correct.</source>
        <translation>{period} 的示数已经是 {current}，无需更正。</translation>
    </message>
    <message>
        <source>No meter has the number {meter_no}.</source>
        <translation>没有表号为 {meter_no} 的电表。</translation>
    </message>
    <message>
        <source>The reading is not below the previous one, so the meter did not roll over.</source>
        <translation>示数不小于上次示数，电表没有翻转。</translation>
    </message>
    <message>
        <source>Tariff file {file}, tariff {code}, key {key}: {problem}</source>
        <translation>电价文件 {file}，电价 {code}，字段 {key}：{problem}</translation>
    </message>
    <message>
        <source>write the number as a string, e.g. &quot;0.538&quot; (a TOML float is inexact)</source>
        <translation>数字须写成字符串，例如 &quot;0.538&quot;（TOML 浮点数不精确）</translation>
    </message>
    <message>
        <source>expected a decimal string</source>
        <translation>应为十进制数字字符串</translation>
    </message>
    <message>
        <source>&quot;{v}&quot; is not a decimal number</source>
        <translation>&quot;{v}&quot; 不是十进制数字</translation>
    </message>
    <message>
        <source>must be a number of zero or more</source>
        <translation>必须是不小于零的数</translation>
    </message>
    <message>
        <source>at most {maximum}</source>
        <translation>最多为 {maximum}</translation>
    </message>
    <message>
        <source>at most 6 decimals</source>
        <translation>最多 6 位小数</translation>
    </message>
    <message>
        <source>required, 1 to 40 characters</source>
        <translation>必填，1 至 40 个字符</translation>
    </message>
    <message>
        <source>unknown key</source>
        <translation>未知字段</translation>
    </message>
    <message>
        <source>required text</source>
        <translation>必填文字</translation>
    </message>
    <message>
        <source>must be &quot;electricity&quot; or &quot;water&quot;</source>
        <translation>必须是 &quot;electricity&quot; 或 &quot;water&quot;</translation>
    </message>
    <message>
        <source>must be &quot;{unit}&quot; for {service}</source>
        <translation>{service} 的单位必须是 &quot;{unit}&quot;</translation>
    </message>
    <message>
        <source>required date, e.g. 2024-01-01</source>
        <translation>必填日期，例如 2024-01-01</translation>
    </message>
    <message>
        <source>a date on or after effective_from</source>
        <translation>不早于 effective_from 的日期</translation>
    </message>
    <message>
        <source>a table of register prices</source>
        <translation>各时段价格表</translation>
    </message>
    <message>
        <source>register names are peak, flat, valley, sharp</source>
        <translation>时段名称只能是 peak、flat、valley、sharp</translation>
    </message>
    <message>
        <source>required (or a [tariff.tou] table)</source>
        <translation>必填（或提供 [tariff.tou] 表）</translation>
    </message>
    <message>
        <source>a table with period, bounds, increments</source>
        <translation>包含 period、bounds、increments 的表</translation>
    </message>
    <message>
        <source>must be &quot;year&quot; or &quot;month&quot;</source>
        <translation>必须是 &quot;year&quot; 或 &quot;month&quot;</translation>
    </message>
    <message>
        <source>a list of upper bounds</source>
        <translation>各档上限列表</translation>
    </message>
    <message>
        <source>bounds must be above zero and increasing</source>
        <translation>各档上限必须大于零且递增</translation>
    </message>
    <message>
        <source>needs one more entry than bounds ({n})</source>
        <translation>应比 bounds 多一项（共 {n} 项）</translation>
    </message>
    <message>
        <source>an array of tables [[tariff.surcharges]]</source>
        <translation>应为 [[tariff.surcharges]] 表数组</translation>
    </message>
    <message>
        <source>required</source>
        <translation>必填</translation>
    </message>
    <message>
        <source>not valid TOML: {err}</source>
        <translation>不是有效的 TOML：{err}</translation>
    </message>
    <message>
        <source>unknown key; a file holds [[tariff]] tables</source>
        <translation>未知字段；文件中只能有 [[tariff]] 表</translation>
    </message>
    <message>
        <source>the file has no [[tariff]] table</source>
        <translation>文件中没有 [[tariff]] 表</translation>
    </message>
    <message>
        <source>two tariffs with this code start on {day}</source>
        <translation>有两个同代码电价都从 {day} 起执行</translation>
    </message>
    <message>
        <source>cannot be read: {err}</source>
        <translation>无法读取：{err}</translation>
    </message>
    <message>
        <source>No tariff {code} is in force on {day}.</source>
        <translation>{day} 没有执行中的电价 {code}。</translation>
    </message>
    <message>
        <source>Only an administrator can import tariffs.</source>
        <translation>只有管理员才能导入电价文件。</translation>
    </message>
    <message>
        <source>a different tariff {code} from {day} is already imported; give the new one its own effective_from</source>
        <translation>已导入了从 {day} 起执行的另一个电价 {code}；新电价请使用新的 effective_from</translation>
    </message>
    <message>
        <source>Only an administrator can import tariffs: add --as LOGIN with an administrator&apos;s login.</source>
        <translation>只有管理员才能导入电价文件：请加上 --as 管理员登录名。</translation>
    </message>
</context>
<context>
    <name>printing</name>
    <message>
        <source>Total</source>
        <translation>合计</translation>
    </message>
    <message>
        <source>first tier</source>
        <translation>第一档</translation>
    </message>
    <message>
        <source>second tier</source>
        <translation>第二档</translation>
    </message>
    <message>
        <source>third tier</source>
        <translation>第三档</translation>
    </message>
    <message>
        <source>fourth tier</source>
        <translation>第四档</translation>
    </message>
    <message>
        <source>Year to date: %1 %2</source>
        <translation>年累计：%1 %2</translation>
    </message>
    <message>
        <source>, %1 left: %2 %3</source>
        <translation>，%1剩余：%2 %3</translation>
    </message>
    <message>
        <source>, above the last tier (%1 %2)</source>
        <translation>，已超过最高档起点（%1 %2）</translation>
    </message>
    <message>
        <source>Peak</source>
        <translation>峰</translation>
    </message>
    <message>
        <source>Flat</source>
        <translation>平</translation>
    </message>
    <message>
        <source>Valley</source>
        <translation>谷</translation>
    </message>
    <message>
        <source>Sharp peak</source>
        <translation>尖峰</translation>
    </message>
    <message>
        <source>Electricity bill</source>
        <translation>电费账单</translation>
    </message>
    <message>
        <source>Water bill</source>
        <translation>水费账单</translation>
    </message>
    <message>
        <source>Water supply address</source>
        <translation>用水地址</translation>
    </message>
    <message>
        <source>Electricity supply address</source>
        <translation>用电地址</translation>
    </message>
    <message>
        <source>Water used</source>
        <translation>用水量</translation>
    </message>
    <message>
        <source>Electricity used</source>
        <translation>用电量</translation>
    </message>
    <message>
        <source>Water tariff</source>
        <translation>水价</translation>
    </message>
    <message>
        <source>Electricity tariff</source>
        <translation>电价</translation>
    </message>
    <message>
        <source>REPRINT (%1)</source>
        <translation>重打（第%1次）</translation>
    </message>
    <message>
        <source>VOID — not payable</source>
        <translation>作废——无需缴纳</translation>
    </message>
    <message>
        <source>Account no.</source>
        <translation>户号</translation>
    </message>
    <message>
        <source>Bill no.</source>
        <translation>账单号</translation>
    </message>
    <message>
        <source>Account name</source>
        <translation>户名</translation>
    </message>
    <message>
        <source>Billing period</source>
        <translation>计费周期</translation>
    </message>
    <message>
        <source>Meter no.</source>
        <translation>表号</translation>
    </message>
    <message>
        <source>Register</source>
        <translation>示数</translation>
    </message>
    <message>
        <source>Previous</source>
        <translation>起码</translation>
    </message>
    <message>
        <source>Current</source>
        <translation>止码</translation>
    </message>
    <message>
        <source>Multiplier</source>
        <translation>倍率</translation>
    </message>
    <message>
        <source>(rolled over)</source>
        <translation>（翻转）</translation>
    </message>
    <message>
        <source>Item</source>
        <translation>项目</translation>
    </message>
    <message>
        <source>Quantity</source>
        <translation>数量</translation>
    </message>
    <message>
        <source>Unit price</source>
        <translation>单价</translation>
    </message>
    <message>
        <source>（yuan/%1）</source>
        <translation>（元/%1）</translation>
    </message>
    <message>
        <source>Amount</source>
        <translation>金额</translation>
    </message>
    <message>
        <source>（yuan）</source>
        <translation>（元）</translation>
    </message>
    <message>
        <source>This bill</source>
        <translation>本期小计</translation>
    </message>
    <message>
        <source>Usage billed earlier in this tier year: %1</source>
        <translation>本阶梯年度此前已计量：%1</translation>
    </message>
    <message>
        <source>Charges of this bill</source>
        <translation>本期费用</translation>
    </message>
    <message>
        <source>Already paid</source>
        <translation>已缴</translation>
    </message>
    <message>
        <source>Arrears brought forward</source>
        <translation>往期欠费</translation>
    </message>
    <message>
        <source>Late fee to the issue date</source>
        <translation>违约金（计至出单日）</translation>
    </message>
    <message>
        <source>Prepaid balance used</source>
        <translation>预存余额抵扣</translation>
    </message>
    <message>
        <source>(for %1)</source>
        <translation>（合 %1）</translation>
    </message>
    <message>
        <source>Prepaid balance left</source>
        <translation>预存余额结余</translation>
    </message>
    <message>
        <source>Total due</source>
        <translation>应缴合计</translation>
    </message>
    <message>
        <source>In words</source>
        <translation>大写</translation>
    </message>
    <message>
        <source>Please pay by %1; a late fee is charged per day after that date.</source>
        <translation>请于 %1 前缴清，逾期按日加收违约金。</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>电话</translation>
    </message>
    <message>
        <source>Issued</source>
        <translation>出单日期</translation>
    </message>
    <message>
        <source>Service hotline</source>
        <translation>服务热线</translation>
    </message>
    <message>
        <source>Energy charge</source>
        <translation>电量电费</translation>
    </message>
    <message>
        <source>Tier 1</source>
        <translation>第一档</translation>
    </message>
    <message>
        <source>Tier 2</source>
        <translation>第二档</translation>
    </message>
    <message>
        <source>Tier 3</source>
        <translation>第三档</translation>
    </message>
    <message>
        <source>Tier 4</source>
        <translation>第四档</translation>
    </message>
    <message>
        <source>Tier 2 surcharge</source>
        <translation>第二档加价</translation>
    </message>
    <message>
        <source>Tier 3 surcharge</source>
        <translation>第三档加价</translation>
    </message>
    <message>
        <source>Tier 4 surcharge</source>
        <translation>第四档加价</translation>
    </message>
    <message>
        <source>Free quota (low-income household)</source>
        <translation>免费电量（低保户）</translation>
    </message>
    <message>
        <source>Water charge</source>
        <translation>水费</translation>
    </message>
</context>
</TS>
