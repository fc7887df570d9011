<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="zh_CN" sourcelanguage="en">
<context>
    <name>messages</name>
    <message>
        <source>There is no checklist for “{type}”.</source>
        <translation>“{type}”没有一次性告知清单。</translation>
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
        <source>This cannot be empty.</source>
        <translation>此项不能为空。</translation>
    </message>
    <message>
        <source>At most {count} characters; this has {length}.</source>
        <translation>最多 {count} 个字符，当前 {length} 个。</translation>
    </message>
    <message>
        <source>This matter no longer exists.</source>
        <translation>该工单已不存在。</translation>
    </message>
    <message>
        <source>Choose one of the listed values.</source>
        <translation>请从列表中选择。</translation>
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
        <source>The hall's queue is for supervisors.</source>
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
        <source>The outage must end after it starts.</source>
        <translation>停电结束时间必须晚于开始时间。</translation>
    </message>
    <message>
        <source>Give the reason.</source>
        <translation>请填写原因。</translation>
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
</context>
</TS>