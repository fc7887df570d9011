<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN" sourcelanguage="en">
<context>
    <name>HandlingCommand</name>
    <message>
        <source>The working-day calendar of %1 is not known: Monday to Friday were counted; the date may move.</source>
        <translation>%1 年的工作日历尚未公布：按周一至周五计算，日期可能变动。</translation>
    </message>
    <message>
        <source>Deadline %1 (%2)</source>
        <translation>期限 %1（%2）</translation>
    </message>
    <message>
        <source>; contact the customer by %1</source>
        <translation>；须在 %1 前联系客户</translation>
    </message>
    <message>
        <source>warning: %1</source>
        <translation>注意：%1</translation>
    </message>
</context>
<context>
    <name>HandlingPlugin</name>
    <message>
        <source>Overdue matter: %1</source>
        <translation>超期工单：%1</translation>
    </message>
    <message>
        <source>First contact overdue: %1</source>
        <translation>首次联系超时：%1</translation>
    </message>
    <message>
        <source>Contact the customer about %1 by %2</source>
        <translation>%1 须在 %2 前联系客户</translation>
    </message>
    <message>
        <source>Repeat complaint (%1 times)</source>
        <translation>重复投诉（第 %1 次）</translation>
    </message>
    <message>
        <source>Planned outage %1 – %2: %3</source>
        <translation>计划停电 %1 至 %2：%3</translation>
    </message>
    <message>
        <source>New matter</source>
        <translation>新建诉求</translation>
    </message>
    <message>
        <source>Open matters</source>
        <translation>在办工单</translation>
    </message>
    <message>
        <source>Matter queues…</source>
        <translation>工单队列…</translation>
    </message>
    <message>
        <source>Print a one-time notice…</source>
        <translation>打印一次性告知…</translation>
    </message>
    <message>
        <source>Planned outages…</source>
        <translation>计划停电…</translation>
    </message>
    <message>
        <source>Register a planned outage…</source>
        <translation>登记计划停电…</translation>
    </message>
</context>
<context>
    <name>MatterDialog</name>
    <message>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>Clerk</source>
        <translation>经办人</translation>
    </message>
    <message>
        <source>Action</source>
        <translation>操作</translation>
    </message>
    <message>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>说明</translation>
    </message>
    <message>
        <source>Customer: %1  Account: %2</source>
        <translation>客户：%1  户号：%2</translation>
    </message>
    <message>
        <source>Owner (first contact): %1 (%2); assignee: %3 %4</source>
        <translation>首问负责人：%1（%2）；当前经办：%3 %4</translation>
    </message>
    <message>
        <source>Promised by %1</source>
        <translation>承诺办结：%1</translation>
    </message>
    <message>
        <source>First contact by %1: done</source>
        <translation>首次联系时限 %1：已联系</translation>
    </message>
    <message>
        <source>First contact by %1: not yet recorded</source>
        <translation>首次联系时限 %1：尚未登记联系</translation>
    </message>
    <message>
        <source>Request: %1</source>
        <translation>诉求：%1</translation>
    </message>
    <message>
        <source>Reply: %1</source>
        <translation>答复：%1</translation>
    </message>
    <message>
        <source>Print receipt</source>
        <translation>打印回执</translation>
    </message>
    <message>
        <source>What was said to the customer:</source>
        <translation>与客户沟通的内容：</translation>
    </message>
    <message>
        <source>Satisfied</source>
        <translation>满意</translation>
    </message>
    <message>
        <source>Fairly satisfied</source>
        <translation>基本满意</translation>
    </message>
    <message>
        <source>Unsatisfied</source>
        <translation>不满意</translation>
    </message>
    <message>
        <source>Call-back</source>
        <translation>回访</translation>
    </message>
    <message>
        <source>Satisfied / fairly satisfied / unsatisfied (1-3):</source>
        <translation>满意 / 基本满意 / 不满意（填 1-3）：</translation>
    </message>
    <message>
        <source>Transfer</source>
        <translation>转派</translation>
    </message>
    <message>
        <source>Login name of the clerk who takes the work:</source>
        <translation>接手人员的登录名：</translation>
    </message>
    <message>
        <source>Reason:</source>
        <translation>原因：</translation>
    </message>
    <message>
        <source>Text:</source>
        <translation>内容：</translation>
    </message>
    <message>
        <source>Not done</source>
        <translation>未完成</translation>
    </message>
</context>
<context>
    <name>Matters</name>
    <message>
        <source>Registered</source>
        <translation>已登记</translation>
    </message>
    <message>
        <source>In progress</source>
        <translation>办理中</translation>
    </message>
    <message>
        <source>Resolved</source>
        <translation>已处理</translation>
    </message>
    <message>
        <source>Replied</source>
        <translation>已答复</translation>
    </message>
    <message>
        <source>Called back</source>
        <translation>已回访</translation>
    </message>
    <message>
        <source>Closed</source>
        <translation>已办结</translation>
    </message>
    <message>
        <source>On time</source>
        <translation>正常</translation>
    </message>
    <message>
        <source>Due soon</source>
        <translation>临期</translation>
    </message>
    <message>
        <source>OVERDUE</source>
        <translation>超期</translation>
    </message>
    <message>
        <source>Contact customer</source>
        <translation>待联系客户</translation>
    </message>
    <message>
        <source>CONTACT OVERDUE</source>
        <translation>联系超时</translation>
    </message>
    <message>
        <source>My matters</source>
        <translation>我的工单</translation>
    </message>
    <message>
        <source>Assigned to me</source>
        <translation>派给我的</translation>
    </message>
    <message>
        <source>Overdue</source>
        <translation>超期</translation>
    </message>
    <message>
        <source>Hall queue</source>
        <translation>督办队列</translation>
    </message>
    <message>
        <source>Customer contacted…</source>
        <translation>已联系客户…</translation>
    </message>
    <message>
        <source>Start</source>
        <translation>开始办理</translation>
    </message>
    <message>
        <source>Resolved…</source>
        <translation>处理完成…</translation>
    </message>
    <message>
        <source>Reply to customer…</source>
        <translation>答复客户…</translation>
    </message>
    <message>
        <source>Call-back…</source>
        <translation>回访…</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>办结</translation>
    </message>
    <message>
        <source>Answer and close…</source>
        <translation>当场答复办结…</translation>
    </message>
    <message>
        <source>Transfer…</source>
        <translation>转派…</translation>
    </message>
    <message>
        <source>Remind (催办)…</source>
        <translation>催办…</translation>
    </message>
    <message>
        <source>Reopened</source>
        <translation>重新打开</translation>
    </message>
    <message>
        <source>Escalated</source>
        <translation>已升级督办</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>备注</translation>
    </message>
    <message>
        <source>Printed</source>
        <translation>已打印</translation>
    </message>
    <message>
        <source>Matter no.</source>
        <translation>工单号</translation>
    </message>
    <message>
        <source>Type</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>Customer</source>
        <translation>客户</translation>
    </message>
    <message>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Deadline</source>
        <translation>期限</translation>
    </message>
    <message>
        <source>Timing</source>
        <translation>时限</translation>
    </message>
    <message>
        <source>Assignee</source>
        <translation>经办人</translation>
    </message>
    <message>
        <source> (repeat %1)</source>
        <translation>（重复 %1）</translation>
    </message>
</context>
<context>
    <name>OutageDialog</name>
    <message>
        <source>Register a planned outage</source>
        <translation>登记计划停电</translation>
    </message>
    <message>
        <source>Reading routes (comma-separated)</source>
        <translation>抄表段（逗号分隔）</translation>
    </message>
    <message>
        <source>Transformer areas (comma-separated)</source>
        <translation>台区（逗号分隔）</translation>
    </message>
    <message>
        <source>Starts (YYYY-MM-DD HH:MM)</source>
        <translation>开始（YYYY-MM-DD HH:MM）</translation>
    </message>
    <message>
        <source>Ends (YYYY-MM-DD HH:MM)</source>
        <translation>结束（YYYY-MM-DD HH:MM）</translation>
    </message>
    <message>
        <source>Short notice: an urgent outage announced fewer than %1 days ahead</source>
        <translation>临时停电：告知不足 %1 天（紧急检修、故障）</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>原因</translation>
    </message>
    <message>
        <source>Enter a time as YYYY-MM-DD HH:MM.</source>
        <translation>请按 YYYY-MM-DD HH:MM 输入时间。</translation>
    </message>
    <message>
        <source>Not registered</source>
        <translation>未登记</translation>
    </message>
    <message>
        <source>Not printed</source>
        <translation>未打印</translation>
    </message>
    <message>
        <source>Planned outage notice</source>
        <translation>计划停电通知</translation>
    </message>
    <message>
        <source>One-time notice</source>
        <translation>一次性告知</translation>
    </message>
    <message>
        <source>Application:</source>
        <translation>业务类型：</translation>
    </message>
</context>
<context>
    <name>OutagesWindow</name>
    <message>
        <source>Planned outages</source>
        <translation>计划停电</translation>
    </message>
    <message>
        <source>Starts</source>
        <translation>开始</translation>
    </message>
    <message>
        <source>Ends</source>
        <translation>结束</translation>
    </message>
    <message>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Notice</source>
        <translation>提前告知</translation>
    </message>
    <message>
        <source>Routes / areas</source>
        <translation>抄表段 / 台区</translation>
    </message>
    <message>
        <source>Accounts</source>
        <translation>户数</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>原因</translation>
    </message>
    <message>
        <source>No planned outage is going on or coming.</source>
        <translation>当前及近期没有计划停电。</translation>
    </message>
    <message>
        <source>Print notice (F8)</source>
        <translation>打印停电通知 (F8)</translation>
    </message>
    <message>
        <source>Register an outage…</source>
        <translation>登记计划停电…</translation>
    </message>
    <message>
        <source>Close (Esc)</source>
        <translation>关闭 (Esc)</translation>
    </message>
    <message>
        <source>Going on</source>
        <translation>停电中</translation>
    </message>
    <message>
        <source>Coming</source>
        <translation>即将停电</translation>
    </message>
    <message>
        <source>%1 days</source>
        <translation>%1 天</translation>
    </message>
    <message>
        <source>%1 (short notice)</source>
        <translation>%1（不足）</translation>
    </message>
</context>
<context>
    <name>QueuesWindow</name>
    <message>
        <source>Matter queues</source>
        <translation>工单队列</translation>
    </message>
</context>
<context>
    <name>RegisterMatterDialog</name>
    <message>
        <source>Register a matter (F6)</source>
        <translation>登记诉求 (F6)</translation>
    </message>
    <message>
        <source>Walk-in without an account: registered as a potential customer.</source>
        <translation>无户号的来访客户，将登记为潜在客户。</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>电话</translation>
    </message>
    <message>
        <source>Matter</source>
        <translation>诉求类型</translation>
    </message>
    <message>
        <source>Kind of complaint</source>
        <translation>投诉类别</translation>
    </message>
    <message>
        <source>Severity</source>
        <translation>等级</translation>
    </message>
    <message>
        <source>Time limit for</source>
        <translation>时限类别</translation>
    </message>
    <message>
        <source>Channel</source>
        <translation>渠道</translation>
    </message>
    <message>
        <source>The customer&apos;s request, in their words</source>
        <translation>客户诉求（按客户原话记录）</translation>
    </message>
    <message>
        <source>Register and print receipt</source>
        <translation>登记并打印回执</translation>
    </message>
    <message>
        <source>Promised by %1 (%2)</source>
        <translation>承诺 %1 前办结（%2）</translation>
    </message>
    <message>
        <source>Contact the customer by %1</source>
        <translation>须在 %1 前联系客户</translation>
    </message>
    <message>
        <source>The holiday calendar of %1 is unknown: weekdays were counted.</source>
        <translation>%1 年节假日安排未知，按周一至周五计算。</translation>
    </message>
    <message>
        <source>Repeat complaint: %1 earlier of this kind within the window.</source>
        <translation>重复投诉：期限内已有 %1 次同类投诉。</translation>
    </message>
    <message>
        <source>It goes to the supervisors at once.</source>
        <translation>将立即升级至主管督办。</translation>
    </message>
    <message>
        <source>Not registered</source>
        <translation>未登记</translation>
    </message>
    <message>
        <source>Not printed</source>
        <translation>未打印</translation>
    </message>
    <message>
        <source>Receipt</source>
        <translation>回执</translation>
    </message>
</context>
<context>
    <name>deadlines</name>
    <message>
        <source>%1 working days</source>
        <translation>%1 个工作日</translation>
    </message>
    <message>
        <source>%1 hours</source>
        <translation>%1 小时</translation>
    </message>
    <message>
        <source>%1 minutes</source>
        <translation>%1 分钟</translation>
    </message>
</context>
<context>
    <name>messages</name>
    <message>
        <source>There is no checklist for “{type}”.</source>
        <translation>“{type}”没有一次性告知清单。</translation>
    </message>
    <message>
        <source>{file}, line {line}: “{key}” needs exactly one of working_days, hours or minutes.</source>
        <translation>{file}，第 {line} 行：“{key}”须且只能有 working_days、hours、minutes 之一。</translation>
    </message>
    <message>
        <source>{file}, line {line}: “{key}” must be a number of kilovolts such as 1 or 0.4.</source>
        <translation>{file}，第 {line} 行：“{key}”须为千伏数，如 1 或 0.4。</translation>
    </message>
    <message>
        <source>{file}, line {line}: “{key}” is “{value}”, which is not one of its scopes: {allowed}.</source>
        <translation>{file}，第 {line} 行：“{key}”为“{value}”，不是其时限类别之一：{allowed}。</translation>
    </message>
    <message>
        <source>Unknown matter type “{type}”.</source>
        <translation>未知的诉求类型“{type}”。</translation>
    </message>
    <message>
        <source>Unknown severity “{severity}”.</source>
        <translation>未知的等级“{severity}”。</translation>
    </message>
    <message>
        <source>“{scope}” is not a scope of this matter type; choose one of: {allowed}.</source>
        <translation>“{scope}”不是该诉求类型的时限类别，请从以下选择：{allowed}。</translation>
    </message>
    <message>
        <source>This matter type has one time limit; a scope does not apply.</source>
        <translation>该诉求类型只有一个时限，不适用时限类别。</translation>
    </message>
    <message>
        <source>The deadline would fall after 9999-12-31, beyond the dates the calendar can compute; check the date.</source>
        <translation>期限将晚于 9999-12-31，超出日历可计算的范围，请检查日期。</translation>
    </message>
    <message>
        <source>Only a registered matter can be started.</source>
        <translation>只有已登记的工单才能开始办理。</translation>
    </message>
    <message>
        <source>Only a matter in progress can be marked resolved.</source>
        <translation>只有办理中的工单才能标记为已处理。</translation>
    </message>
    <message>
        <source>Reply to the customer after the matter is resolved.</source>
        <translation>处理完成后才能答复客户。</translation>
    </message>
    <message>
        <source>A call-back comes after the reply to the customer; this matter is not replied to yet.</source>
        <translation>答复客户后才能回访；该工单尚未答复。</translation>
    </message>
    <message>
        <source>A matter is closed only after the customer has had a reply.</source>
        <translation>答复客户后才能办结。</translation>
    </message>
    <message>
        <source>A complaint is closed only after a call-back to the customer.</source>
        <translation>投诉须回访客户后才能办结。</translation>
    </message>
    <message>
        <source>This matter is already closed.</source>
        <translation>该工单已办结。</translation>
    </message>
    <message>
        <source>Only an inquiry can be answered and closed at once.</source>
        <translation>只有咨询可以当场答复并办结。</translation>
    </message>
    <message>
        <source>This inquiry is no longer open for an answer.</source>
        <translation>该咨询已不能再答复。</translation>
    </message>
    <message>
        <source>A closed matter cannot be transferred.</source>
        <translation>已办结的工单不能转派。</translation>
    </message>
    <message>
        <source>A closed matter needs no reminder.</source>
        <translation>已办结的工单无需催办。</translation>
    </message>
    <message>
        <source>This matter has no first-contact time limit.</source>
        <translation>该工单没有首次联系时限。</translation>
    </message>
    <message>
        <source>The first contact with the customer is already recorded.</source>
        <translation>与客户的首次联系已登记。</translation>
    </message>
    <message>
        <source>This cannot be empty.</source>
        <translation>此项不能为空。</translation>
    </message>
    <message>
        <source>At most {count} characters; this has {length}.</source>
        <translation>最多 {count} 个字符，现有 {length} 个。</translation>
    </message>
    <message>
        <source>This matter no longer exists.</source>
        <translation>该工单已不存在。</translation>
    </message>
    <message>
        <source>Choose one of the listed values.</source>
        <translation>请从列出的选项中选择。</translation>
    </message>
    <message>
        <source>Choose the kind of complaint.</source>
        <translation>请选择投诉类别。</translation>
    </message>
    <message>
        <source>This customer file no longer exists.</source>
        <translation>该客户档案已不存在。</translation>
    </message>
    <message>
        <source>Choose how satisfied the customer is.</source>
        <translation>请选择客户满意度。</translation>
    </message>
    <message>
        <source>No clerk has the login name “{login}”.</source>
        <translation>没有登录名为“{login}”的营业员。</translation>
    </message>
    <message>
        <source>The hall&apos;s queue is for supervisors.</source>
        <translation>营业厅督办队列仅限主管查看。</translation>
    </message>
    <message>
        <source>Only a supervisor can register a planned outage.</source>
        <translation>只有主管可以登记计划停电。</translation>
    </message>
    <message>
        <source>Name at least one reading route or transformer area.</source>
        <translation>请至少填写一个抄表段或台区。</translation>
    </message>
    <message>
        <source>At most {count} routes and areas in one outage; register several.</source>
        <translation>一次停电最多 {count} 个抄表段和台区，请分多次登记。</translation>
    </message>
    <message>
        <source>“{name}” is too long for a route or area name.</source>
        <translation>“{name}”作为抄表段或台区名称过长。</translation>
    </message>
    <message>
        <source>The outage must end after it starts.</source>
        <translation>停电结束时间必须晚于开始时间。</translation>
    </message>
    <message>
        <source>This outage ended at {end}, before now; register only outages still to come or going on.</source>
        <translation>该停电已于 {end} 结束；只能登记尚未开始或正在进行的停电。</translation>
    </message>
    <message>
        <source>A planned outage is announced {days} days ahead: it can start on {date} at the earliest. For an urgent outage, tick “Short notice”.</source>
        <translation>计划停电须提前 {days} 天告知：最早可于 {date} 开始。紧急停电请勾选“临时停电”。</translation>
    </message>
    <message>
        <source>Give the reason.</source>
        <translation>请填写原因。</translation>
    </message>
    <message>
        <source>No account is on reading route “{name}”; check the name.</source>
        <translation>抄表段“{name}”下没有用户，请核对名称。</translation>
    </message>
    <message>
        <source>No account is in transformer area “{name}”; check the name.</source>
        <translation>台区“{name}”下没有用户，请核对名称。</translation>
    </message>
    <message>
        <source>This outage no longer exists.</source>
        <translation>该停电记录已不存在。</translation>
    </message>
    <message>
        <source>{file}, line {line}: “year” is {value} but the file is named for {name}.</source>
        <translation>{file}，第 {line} 行：“year”为 {value}，但文件名是 {name}。</translation>
    </message>
    <message>
        <source>{file}, line {line}: “{key}” must be a list of dates such as [2027-01-01, 2027-01-02].</source>
        <translation>{file}，第 {line} 行：“{key}”须为日期列表，如 [2027-01-01, 2027-01-02]。</translation>
    </message>
    <message>
        <source>{file}, line {line}: “{key}” is {value}, which is not in {year}.</source>
        <translation>{file}，第 {line} 行：“{key}”为 {value}，不在 {year} 年内。</translation>
    </message>
    <message>
        <source>{file}, line {line}: {value} is in both “holidays” and “workdays”; keep it in one.</source>
        <translation>{file}，第 {line} 行：{value} 同时出现在“holidays”和“workdays”中，请只保留一处。</translation>
    </message>
    <message>
        <source>{file} and {other} are both for {year}; keep one.</source>
        <translation>{file} 和 {other} 都是 {year} 年的日历，请只保留一个。</translation>
    </message>
    <message>
        <source>{file}: the file is not UTF-8 text; save it as UTF-8.</source>
        <translation>{file}：文件不是 UTF-8 文本，请另存为 UTF-8。</translation>
    </message>
    <message>
        <source>{file} cannot be read: {reason}</source>
        <translation>无法读取 {file}：{reason}</translation>
    </message>
    <message>
        <source>{file}, line {line}: this is not valid TOML ({detail}).</source>
        <translation>{file}，第 {line} 行：不是有效的 TOML（{detail}）。</translation>
    </message>
    <message>
        <source>{file}: this is not valid TOML ({detail}).</source>
        <translation>{file}：不是有效的 TOML（{detail}）。</translation>
    </message>
    <message>
        <source>{file}: “{key}” is missing.</source>
        <translation>{file}：缺少“{key}”。</translation>
    </message>
    <message>
        <source>{file}, line {line}: “{key}” is not known here; expected one of: {allowed}.</source>
        <translation>{file}，第 {line} 行：此处不认识“{key}”，应为以下之一：{allowed}。</translation>
    </message>
    <message>
        <source>{file}, line {line}: “{key}” must be a table.</source>
        <translation>{file}，第 {line} 行：“{key}”须为表（table）。</translation>
    </message>
    <message>
        <source>{file}, line {line}: “{key}” must be a whole number from {low} to {high}; it is {value}.</source>
        <translation>{file}，第 {line} 行：“{key}”须为 {low} 至 {high} 的整数，现为 {value}。</translation>
    </message>
    <message>
        <source>{file}, line {line}: “{key}” must be a text in quotes, not empty.</source>
        <translation>{file}，第 {line} 行：“{key}”须为带引号的非空文字。</translation>
    </message>
    <message>
        <source>{file}, line {line}: “{key}” must be a list of texts in quotes.</source>
        <translation>{file}，第 {line} 行：“{key}”须为带引号的文字列表。</translation>
    </message>
    <message>
        <source>{file}, line {line}: “{key}” must be a date such as 2027-01-01; {value} is not.</source>
        <translation>{file}，第 {line} 行：“{key}”须为日期，如 2027-01-01；{value} 不是日期。</translation>
    </message>
    <message>
        <source>--from: “{text}” is not a time YYYY-MM-DD HH:MM.</source>
        <translation>--from：“{text}”不是 YYYY-MM-DD HH:MM 格式的时间。</translation>
    </message>
    <message>
        <source>--severity applies to complaints only; the time limit of “{type}” does not depend on it.</source>
        <translation>--severity 只适用于投诉；“{type}”的时限与严重程度无关。</translation>
    </message>
</context>
<context>
    <name>printing</name>
    <message>
        <source>Acknowledgement of your request</source>
        <translation>业务受理回执</translation>
    </message>
    <message>
        <source>REPRINT (%1)</source>
        <translation>重打（第%1次）</translation>
    </message>
    <message>
        <source>Matter no.</source>
        <translation>工单号</translation>
    </message>
    <message>
        <source>Received</source>
        <translation>受理时间</translation>
    </message>
    <message>
        <source>Customer</source>
        <translation>客户</translation>
    </message>
    <message>
        <source>Account no.</source>
        <translation>户号</translation>
    </message>
    <message>
        <source>Matter</source>
        <translation>诉求类型</translation>
    </message>
    <message>
        <source>We promise an answer by</source>
        <translation>承诺办结时间</translation>
    </message>
    <message>
        <source>A repair crew will be with you by</source>
        <translation>抢修人员最迟到达</translation>
    </message>
    <message>
        <source>We will contact you by</source>
        <translation>首次联系时限</translation>
    </message>
    <message>
        <source>Responsible clerk</source>
        <translation>首问负责人</translation>
    </message>
    <message>
        <source>Your request, in your words:</source>
        <translation>客户诉求：</translation>
    </message>
    <message>
        <source>The holiday calendar for that year is not published yet; the date may move.</source>
        <translation>该年度节假日安排尚未公布，承诺日期可能调整。</translation>
    </message>
    <message>
        <source>The clerk named above answers for this matter until it is closed. Questions: %1</source>
        <translation>以上首问负责人负责跟进至办结。如有疑问请致电 %1</translation>
    </message>
    <message>
        <source>One-time notice: %1</source>
        <translation>一次性告知：%1</translation>
    </message>
    <message>
        <source>Please bring:</source>
        <translation>请携带以下材料：</translation>
    </message>
    <message>
        <source>Questions: %1</source>
        <translation>咨询电话：%1</translation>
    </message>
    <message>
        <source>Planned outage notice</source>
        <translation>计划停电通知</translation>
    </message>
    <message>
        <source>From %1 to %2</source>
        <translation>停电时间：%1 至 %2</translation>
    </message>
    <message>
        <source>Reason: %1</source>
        <translation>停电原因：%1</translation>
    </message>
    <message>
        <source>Areas: %1</source>
        <translation>停电范围：%1</translation>
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
        <source>New connection</source>
        <translation>新装</translation>
    </message>
    <message>
        <source>Capacity increase</source>
        <translation>增容</translation>
    </message>
    <message>
        <source>Name transfer</source>
        <translation>过户</translation>
    </message>
    <message>
        <source>Tariff change</source>
        <translation>改类</translation>
    </message>
    <message>
        <source>Temporary supply</source>
        <translation>临时用电</translation>
    </message>
    <message>
        <source>Account closure</source>
        <translation>销户</translation>
    </message>
    <message>
        <source>Meter check</source>
        <translation>计量装置校验</translation>
    </message>
    <message>
        <source>Reconnection</source>
        <translation>复电</translation>
    </message>
    <message>
        <source>Fault report</source>
        <translation>故障报修</translation>
    </message>
    <message>
        <source>Inquiry</source>
        <translation>咨询</translation>
    </message>
    <message>
        <source>Opinion</source>
        <translation>意见</translation>
    </message>
    <message>
        <source>Suggestion</source>
        <translation>建议</translation>
    </message>
    <message>
        <source>Praise</source>
        <translation>表扬</translation>
    </message>
    <message>
        <source>Misconduct report</source>
        <translation>举报</translation>
    </message>
    <message>
        <source>Complaint</source>
        <translation>投诉</translation>
    </message>
    <message>
        <source>service conduct</source>
        <translation>服务</translation>
    </message>
    <message>
        <source>business / billing</source>
        <translation>营业</translation>
    </message>
    <message>
        <source>outage</source>
        <translation>停送电</translation>
    </message>
    <message>
        <source>supply quality</source>
        <translation>供电质量</translation>
    </message>
    <message>
        <source>grid construction</source>
        <translation>电网建设</translation>
    </message>
    <message>
        <source>general</source>
        <translation>一般</translation>
    </message>
    <message>
        <source>important</source>
        <translation>重要</translation>
    </message>
    <message>
        <source>major</source>
        <translation>重大</translation>
    </message>
    <message>
        <source>special</source>
        <translation>特殊</translation>
    </message>
    <message>
        <source>residential</source>
        <translation>居民</translation>
    </message>
    <message>
        <source>low-voltage non-residential</source>
        <translation>低压非居民</translation>
    </message>
    <message>
        <source>high-voltage, single source</source>
        <translation>高压单电源</translation>
    </message>
    <message>
        <source>high-voltage, dual source</source>
        <translation>高压双电源</translation>
    </message>
    <message>
        <source>urban</source>
        <translation>城区</translation>
    </message>
    <message>
        <source>rural</source>
        <translation>农村</translation>
    </message>
    <message>
        <source>remote area</source>
        <translation>特殊边远地区</translation>
    </message>
</context>
</TS>
