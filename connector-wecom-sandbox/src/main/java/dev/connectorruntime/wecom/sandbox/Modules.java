package dev.connectorruntime.wecom.sandbox;

import java.util.List;

/** Every sandbox module; a new WeCom area adds its module here. */
final class Modules {
    private Modules() {}

    static List<SandboxModule> all() {
        return List.of(
                new ContactModule(),
                new MessageModule(),
                new AppChatModule(),
                new MediaModule(),
                new CalendarModule(),
                new SchoolModule(),
                new JsapiModule(),
                new ExternalContactModule());
    }
}
