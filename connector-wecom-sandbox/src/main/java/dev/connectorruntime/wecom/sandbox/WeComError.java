package dev.connectorruntime.wecom.sandbox;

/** A WeCom error answer ({@code errcode} != 0) raised by a sandbox route. */
final class WeComError extends RuntimeException {
    final int errcode;

    WeComError(int errcode, String errmsg) {
        super(errmsg, null, false, false);
        this.errcode = errcode;
    }

    /** "missing X" with WeCom's code for the common fields (41xxx); 40058 (invalid parameter) otherwise. */
    static WeComError missing(String field) {
        int code = switch (field) {
            case "media_id" -> 41006;
            case "userid" -> 41009;
            case "url" -> 41010;
            case "agentid" -> 41011;
            case "title" -> 41016;
            case "tagid" -> 41017;
            case "tagname" -> 41018;
            case "department" -> 41019;
            case "description" -> 41033;
            case "external_userid" -> 41035;
            case "config_id" -> 41043;
            default -> 40058;
        };
        return new WeComError(code, "missing " + field);
    }
}
