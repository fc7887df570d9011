<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="zh_CN" sourcelanguage="en">
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
        <source>The prepaid balance from this payment has already been used; it cannot be reversed.</source>
        <translation>该笔缴费形成的预存余额已被使用，不能冲正。</translation>
    </message>
    <message>
        <source>Enter a number of pieces, zero or more.</source>
        <translation>请输入张数（不小于零）。</translation>
    </message>
    <message>
        <source>Choose one of the listed values.</source>
        <translation>请从列表中选择。</translation>
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
</context>
<context>
    <name>printing</name>
    <message>
        <source>Cash</source>
        <translation>现金</translation>
    </message>
    <message>
        <source>Bank card</source>
        <translation>银行卡</translation>
    </message>
    <message>
        <source>QR code payment</source>
        <translation>扫码支付</translation>
    </message>
    <message>
        <source>Bank transfer</source>
        <translation>银行转账</translation>
    </message>
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
        <source>Balance after</source>
        <translation>余额</translation>
    </message>
    <message>
        <source>Verification code</source>
        <translation>校验码</translation>
    </message>
</context>
</TS>