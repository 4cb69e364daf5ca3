/*
 * The connector designer: a palette of every action (ranked search, arrow keys), its input form
 * rendered by json-editor from ui.formSchema (required fields shown, optional ones added from json-editor's
 * "add field" list), choices from the connection (ui.options), execute / validate against a connection,
 * the server's field errors at their fields, the output schema as a tree, copy as JSON / curl, recent
 * runs. No framework, nothing from the internet.
 */
(function () {
  'use strict';

  // ---------------------------------------------------------------- json-editor setup

  JSONEditor.defaults.languages.zh = {
    error_notset: '必须填写此项',
    error_notempty: '不能为空',
    error_enum: '必须是可选值之一',
    error_const: '必须等于固定值',
    error_anyOf: '至少须满足一种形式',
    error_oneOf: '须恰好满足一种形式（当前满足 {{0}} 种）',
    error_not: '不能满足被排除的形式',
    error_type_union: '类型不在允许的类型中',
    error_type: '类型必须是 {{0}}',
    error_multipleOf: '必须是 {{0}} 的倍数',
    error_maximum_excl: '必须小于 {{0}}',
    error_maximum_incl: '不能大于 {{0}}',
    error_minimum_excl: '必须大于 {{0}}',
    error_minimum_incl: '不能小于 {{0}}',
    error_maxLength: '长度不能超过 {{0}} 个字符',
    error_minLength: '长度至少为 {{0}} 个字符',
    error_pattern: '格式不符合 {{0}}',
    error_additionalItems: '不允许更多的项',
    error_maxItems: '最多 {{0}} 项',
    error_minItems: '至少 {{0}} 项',
    error_uniqueItems: '各项不能重复',
    error_maxProperties: '最多 {{0}} 个属性',
    error_minProperties: '至少 {{0}} 个属性',
    error_required: '缺少必填属性 {{0}}',
    error_additional_properties: '不允许的属性 {{0}}',
    error_dependency: '必须同时填写 {{0}}',
    button_add: '添加',
    button_delete_all: '全部',
    button_delete_all_title: '全部删除',
    button_delete_last: '最后一个{{0}}',
    button_delete_last_title: '删除最后一个{{0}}',
    button_add_row_title: '添加{{0}}',
    button_move_down_title: '下移',
    button_move_up_title: '上移',
    button_properties: '添加字段 Add field',
    button_object_properties: '添加字段 Add field',
    button_copy_row_title: '复制{{0}}',
    button_delete_row_title: '删除{{0}}',
    button_delete_row_title_short: '删除',
    button_copy_row_title_short: '复制',
    button_collapse: '折叠',
    button_expand: '展开',
    button_edit_json: '编辑 JSON',
    button_save: '保存',
    button_cancel: '取消',
    button_copy: '复制',
    default_array_item_title: '项',
    button_delete_node_warning: '确定删除此项吗？'
  };
  JSONEditor.defaults.languages.en = Object.assign({}, JSONEditor.defaults.languages.en, {
    button_properties: 'Add field',
    button_object_properties: 'Add field'
  });
  JSONEditor.defaults.language = 'zh';

  // json-editor shows a text field's own (client-side) errors on its very first validation, before the
  // user touched anything: a fresh form would open in red. Show them only once the field was edited.
  const stringShowErrors = JSONEditor.defaults.editors.string.prototype.showValidationErrors;
  JSONEditor.defaults.editors.string.prototype.showValidationErrors = function (errors) {
    if (!this.is_dirty && this.jsoneditor && this.jsoneditor.options.show_errors === 'interaction') {
      if (this.input) this.theme.removeInputError(this.input);
      return;
    }
    return stringShowErrors.call(this, errors);
  };

  // An object's own "required" errors would list missing fields above a fresh form; the server's field
  // errors say it at each field after a run, so the form does not repeat it.
  const objectShowErrors = JSONEditor.defaults.editors.object.prototype.showValidationErrors;
  JSONEditor.defaults.editors.object.prototype.showValidationErrors = function (errors) {
    return objectShowErrors.call(this, errors.filter((e) => e.property !== 'required'));
  };

  // Likewise an optional list left empty is not sent ("at least one of" lists are shown, maybe unused).
  const objectGetValue = JSONEditor.defaults.editors.object.prototype.getValue;
  JSONEditor.defaults.editors.object.prototype.getValue = function () {
    const value = objectGetValue.call(this);
    if (value && typeof value === 'object' && !Array.isArray(value)) {
      const required = Array.isArray(this.schema.required) ? this.schema.required : [];
      Object.keys(value).forEach((key) => {
        if (Array.isArray(value[key]) && !value[key].length && !required.includes(key)) delete value[key];
      });
    }
    return value;
  };

  // The "add field" list offers only the fields the chosen type allows (template_card's card_type).
  const refreshAddProperties = JSONEditor.defaults.editors.object.prototype.refreshAddProperties;
  JSONEditor.defaults.editors.object.prototype.refreshAddProperties = function () {
    const result = refreshAddProperties.apply(this, arguments);
    if (this.addproperty_checkboxes) hideUnavailableFields(this);
    return result;
  };

  // Errors json-editor shows at an input are tied to it for screen readers (aria-invalid, aria-describedby).
  const htmlTheme = JSONEditor.defaults.themes.html.prototype;
  const addInputError = htmlTheme.addInputError;
  htmlTheme.addInputError = function (input, text) {
    addInputError.call(this, input, text);
    if (!input || !input.setAttribute) return;
    const message = input.errmsg || (input.parentNode && input.parentNode.querySelector('.errmsg'));
    if (message) {
      if (!message.id) message.id = (input.id || input.name || 'field').replace(/[^A-Za-z0-9_-]/g, '-') + '-client-error';
      describe(input, message.id, true);
    }
    input.setAttribute('aria-invalid', 'true');
  };
  const removeInputError = htmlTheme.removeInputError;
  htmlTheme.removeInputError = function (input) {
    removeInputError.call(this, input);
    if (!input || !input.removeAttribute) return;
    const message = input.errmsg || (input.parentNode && input.parentNode.querySelector('.errmsg'));
    if (message && message.id) describe(input, message.id, false);
    if (!input.closest || !input.closest('.has-field-error')) input.removeAttribute('aria-invalid');
  };

  /** Adds (or removes) an id in an element's aria-describedby. */
  function describe(element, id, on) {
    const ids = (element.getAttribute('aria-describedby') || '').split(/\s+/).filter((x) => x && x !== id);
    if (on) ids.push(id);
    if (ids.length) element.setAttribute('aria-describedby', ids.join(' '));
    else element.removeAttribute('aria-describedby');
  }

  const EDITOR_OPTIONS = {
    theme: 'html',
    iconlib: null,
    show_opt_in: false,
    display_required_only: true,     // required fields are shown; optional ones come from the "add field" list
    remove_empty_properties: true,   // a field shown but left empty is not sent
    disable_properties: false,
    use_default_values: false,
    disable_edit_json: true,         // free-form objects turn it back on in their own options
    disable_collapse: true,
    disable_array_delete_all_rows: true,
    disable_array_delete_last_row: true,
    disable_array_reorder: false,
    prompt_before_delete: false,
    show_errors: 'interaction',
    keep_oneof_values: false,
    array_controls_top: false,
    max_depth: 0
  };

  /** The connection a write goes to without asking: the embedded sandbox. */
  const SANDBOX = 'sandbox';
  const RECENT_KEY = 'designer.recent';
  const MAX_RECENT = 10;
  const MAX_CHIPS = 40;
  const MAX_EVENTS = 50;
  const TRIGGER_HASH = 'trigger/';

  // ---------------------------------------------------------------- state

  const $ = (id) => document.getElementById(id);
  const state = {
    connectors: [],
    categories: [],        // [{id, title, titleEn, connector}]
    actions: [],           // GET /api/actions
    descriptor: null,      // the selected action's GET /api/actions/{id}
    editor: null,
    renderToken: 0,
    choiceCache: new Map(),
    choices: {},           // pointer -> {spec, items: [{value, label}], error}
    serverErrors: [],      // [{pointer, path, element, input, snapshot}]
    errorIds: 0,
    running: false,
    triggers: [],          // GET /api/triggers
    trigger: null,         // the selected trigger's GET /api/triggers/{id}
    listening: null        // AbortController of the event stream being read
  };

  // ---------------------------------------------------------------- HTTP

  function headers(json) {
    const h = { Accept: 'application/json, application/problem+json' };
    if (json) h['Content-Type'] = 'application/json';
    const connection = $('connection').value;
    if (connection) h['X-Connection'] = connection;
    const key = $('api-key').value.trim();
    if (key) h.Authorization = 'Bearer ' + key;
    if ($('lang').value === 'en') h['Accept-Language'] = 'en';
    else h['Accept-Language'] = 'zh-CN';
    return h;
  }

  async function getJson(path) {
    const response = await fetch(path, { headers: headers(false) });
    if (!response.ok) throw new Error(path + ' → HTTP ' + response.status);
    return response.json();
  }

  /** POSTs input; answers {ok, status, body, attempts, ms}. Never throws for an HTTP error status. */
  async function post(path, input, timeoutMs) {
    const started = performance.now();
    const controller = new AbortController();
    const timer = timeoutMs ? setTimeout(() => controller.abort(), timeoutMs) : null;
    try {
      const response = await fetch(path, {
        method: 'POST', headers: headers(true), body: JSON.stringify(input === undefined ? {} : input),
        signal: controller.signal
      });
      const text = await response.text();
      let body;
      try { body = text ? JSON.parse(text) : null; } catch (e) { body = { raw: text }; }
      return {
        ok: response.ok, status: response.status, body,
        attempts: response.headers.get('X-Attempts'), ms: Math.round(performance.now() - started),
        warnings: parseWarnings(response.headers.get('X-Warnings'))
      };
    } finally {
      if (timer) clearTimeout(timer);
    }
  }

  function parseWarnings(header) {
    try { return header ? JSON.parse(header) : []; } catch (e) { return []; }
  }

  // ---------------------------------------------------------------- JSON Pointer helpers

  function pointerSegments(pointer) {
    if (!pointer || pointer === '/') return pointer === '/' ? [''] : [];
    return pointer.replace(/^\//, '').split('/').map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
  }

  function at(value, pointer) {
    let node = value;
    for (const segment of pointerSegments(pointer)) {
      if (node === null || node === undefined) return undefined;
      node = node[segment];
    }
    return node;
  }

  /** "/textcard/url" -> "root.textcard.url" (json-editor's editor path). */
  function pointerToPath(pointer) {
    return ['root'].concat(pointerSegments(pointer)).join('.');
  }

  /**
   * The sub-schema an options pointer names. Array levels are implicit in those pointers
   * ("/attendees/userid" is the userid of every attendee), so arrays are stepped into as they come.
   * Answers {schema, pathPattern} where pathPattern matches the editors' paths (array indexes as \d+).
   */
  function schemaAt(root, pointer) {
    let schema = root;
    let pattern = 'root';
    for (const segment of pointerSegments(pointer)) {
      while (schema && schema.type === 'array' && schema.items && !(schema.properties && schema.properties[segment])) {
        schema = schema.items;
        pattern += '\\.\\d+';
      }
      schema = schema && schema.properties ? schema.properties[segment] : undefined;
      if (!schema) return null;
      pattern += '\\.' + segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    }
    return { schema, pathPattern: new RegExp('^' + pattern + '$') };
  }

  function pretty(value) {
    return JSON.stringify(value === undefined ? null : value, null, 2);
  }

  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    Object.entries(attrs || {}).forEach(([k, v]) => {
      if (v === undefined || v === null || v === false) return;
      if (k === 'class') node.className = v;
      else if (k === 'text') node.textContent = v;
      else if (k.startsWith('on')) node.addEventListener(k.substring(2), v);
      else node.setAttribute(k, v === true ? '' : v);
    });
    children.flat(Infinity).forEach((c) => {
      if (c === null || c === undefined || c === false) return;
      node.appendChild(typeof c === 'string' ? document.createTextNode(c) : c);
    });
    return node;
  }

  function status(text) {
    $('page-status').textContent = text || '';
  }

  // ---------------------------------------------------------------- start-up

  async function start() {
    try {
      const [connectors, actions, connections] = await Promise.all([
        getJson('/api/connectors'), getJson('/api/actions'),
        // Connection names are configuration: a server with API keys shows them only to a key.
        getJson('/api/connections').catch(() => [])
      ]);
      state.connectors = connectors;
      state.actions = actions;
      state.triggers = await getJson('/api/triggers').catch(() => []);
      connectors.forEach((c) => (c.categories || []).forEach((cat) => state.categories.push(Object.assign({ connector: c }, cat))));
      fillConnections(connections);
      $('connector-summary').textContent = connectors.map((c) => c.title + ' ' + c.titleEn).join(' · ')
        + ' — ' + actions.length + ' 个动作 actions';
      renderPalette();
      bindControls();
      renderRecent();
      document.body.dataset.state = 'ready';
      await followHash();
    } catch (e) {
      document.body.dataset.state = 'error';
      status('加载失败 Failed to load: ' + e.message);
      throw e;
    }
  }

  function fillConnections(names) {
    const select = $('connection');
    select.innerHTML = '';
    const saved = sessionStorage.getItem('designer.connection');
    names.forEach((name) => select.appendChild(el('option', { value: name, text: name })));
    if (!names.length) select.appendChild(el('option', { value: '', text: '（默认 default）' }));
    const preferred = [saved, 'sandbox'].find((n) => n && names.includes(n));
    if (preferred) select.value = preferred;
  }

  function bindControls() {
    $('search').addEventListener('input', filterPalette);
    $('search').addEventListener('keydown', (e) => {
      if (e.key === 'Enter') {
        const first = visiblePicks()[0];
        if (first) first.click();
      } else if (e.key === 'ArrowDown') {
        e.preventDefault();
        const first = visiblePicks()[0];
        if (first) first.focus();
      }
    });
    $('palette').addEventListener('keydown', paletteKeys);
    $('connection').addEventListener('change', () => {
      sessionStorage.setItem('designer.connection', $('connection').value);
      $('listen-connection').textContent = $('connection').value;
      if (state.listening) { stopListening(); listen(); }
      if (state.descriptor && $('trigger').hidden) rerender();
    });
    $('lang').addEventListener('change', () => {
      document.documentElement.lang = $('lang').value === 'en' ? 'en' : 'zh-CN';
      if (state.descriptor) reloadDescriptor();
    });
    $('execute').addEventListener('click', () => run('execute'));
    $('validate').addEventListener('click', () => run('validate'));
    $('fill-example').addEventListener('click', fillExample);
    $('copy-json').addEventListener('click', () => copy(requestJson(), 'JSON'));
    $('copy-curl').addEventListener('click', () => copy(curl(), 'curl'));
    $('upload-file').addEventListener('change', uploadFile);
    $('listen').addEventListener('click', () => (state.listening ? stopListening() : listen()));
    window.addEventListener('hashchange', followHash);
  }

  /** #user_get opens an action, #trigger/change_contact_create_user a trigger. */
  async function followHash() {
    const wanted = decodeURIComponent(location.hash.replace(/^#/, ''));
    if (wanted.startsWith(TRIGGER_HASH)) {
      const id = wanted.substring(TRIGGER_HASH.length);
      if ((!state.trigger || state.trigger.id !== id) && state.triggers.some((t) => t.id === id)) await selectTrigger(id);
    } else if (wanted && (!state.descriptor || state.descriptor.id !== wanted || !$('trigger').hidden) && state.actions.some((a) => a.id === wanted)) {
      await selectAction(wanted);
    }
  }

  // ---------------------------------------------------------------- palette

  function renderPalette() {
    const holder = $('palette');
    holder.innerHTML = '';
    const known = new Set(state.categories.map((c) => c.id));
    const groups = state.categories.slice();
    state.actions.forEach((a) => {
      if (!known.has(a.category)) {
        known.add(a.category);
        groups.push({ id: a.category, title: a.category, titleEn: '' });
      }
    });
    groups.forEach((category) => {
      const actions = state.actions.filter((a) => a.category === category.id);
      if (!actions.length) return;
      const list = el('ul', { class: 'actions' });
      actions.forEach((a, index) => {
        const item = el('li', { class: 'action', 'data-action': a.id, 'data-order': String(index) },
          el('button', { type: 'button', class: 'pick', title: a.id, onclick: () => selectAction(a.id) },
            el('span', { class: 'title', text: a.title }),
            el('span', { class: 'en', text: a.titleEn || '' }),
            el('span', { class: 'method ' + (a.method || '').toLowerCase(), text: a.method || '' })),
          el('p', { class: 'desc', text: a.description || '', title: a.description || '' }),
          a.docUrl ? el('a', { class: 'doc', href: a.docUrl, target: '_blank', rel: 'noopener noreferrer', tabindex: '-1', text: '文档 Doc ↗' }) : null);
        item.search = {
          id: a.id.toLowerCase(),
          titles: [a.title, a.titleEn].filter(Boolean).join('\n').toLowerCase(),
          rest: [a.description, a.path, category.title, category.titleEn].filter(Boolean).join('\n').toLowerCase()
        };
        list.appendChild(item);
      });
      holder.appendChild(el('section', { class: 'group', 'data-category': category.id, 'data-order': String(holder.children.length) },
        el('h3', {}, el('span', { text: category.title }), ' ', el('span', { class: 'en', text: category.titleEn || '' }),
          el('span', { class: 'count', text: String(actions.length) })),
        list));
    });
    if (state.triggers.length) {
      const list = el('ul', { class: 'actions' });
      state.triggers.forEach((t, index) => {
        const item = el('li', { class: 'action trigger', 'data-trigger': t.id, 'data-order': String(index) },
          el('button', { type: 'button', class: 'pick', title: t.id, onclick: () => selectTrigger(t.id) },
            el('span', { class: 'title', text: t.title }),
            el('span', { class: 'en', text: t.titleEn || '' }),
            el('span', { class: 'method', text: t.callbackKind || '' })),
          el('p', { class: 'desc', text: t.description || '', title: t.description || '' }));
        item.search = {
          id: t.id.toLowerCase(),
          titles: [t.title, t.titleEn].filter(Boolean).join('\n').toLowerCase(),
          rest: [t.description, t.category, t.callbackKind, '触发器 trigger event 事件'].filter(Boolean).join('\n').toLowerCase()
        };
        list.appendChild(item);
      });
      holder.appendChild(el('section', { class: 'group triggers', 'data-category': 'triggers', 'data-order': String(holder.children.length) },
        el('h3', {}, el('span', { text: '触发器' }), ' ', el('span', { class: 'en', text: 'Triggers' }),
          el('span', { class: 'count', text: String(state.triggers.length) })),
        list));
    }
    filterPalette();
  }

  /**
   * How well an action matches the query, 0 for not at all (every term must be found somewhere):
   * the exact id or title first, then ids and titles holding every term, then descriptions.
   */
  function score(search, query, terms) {
    if (!terms.length) return 1;
    if (search.id === query || search.titles.split('\n').includes(query)) return 10000;
    let total = 0;
    for (const term of terms) {
      if (search.id === term) total += 400;
      else if (search.id.startsWith(term)) total += 150;
      else if (search.id.includes(term)) total += 100;
      else if (search.titles.includes(term)) total += search.titles.startsWith(term) ? 120 : 100;
      else if (search.rest.includes(term)) total += 1;
      else return 0;
    }
    return total;
  }

  /** Shows the matching actions, best first: groups ordered by their best match, actions within them by score. */
  function filterPalette() {
    const query = $('search').value.toLowerCase().trim();
    const terms = query.split(/\s+/).filter(Boolean);
    let shown = 0;
    const groups = Array.from(document.querySelectorAll('#palette .group'));
    groups.forEach((group) => {
      let inGroup = 0;
      let best = 0;
      const items = Array.from(group.querySelectorAll('.action'));
      items.forEach((item) => {
        item.score = score(item.search, query, terms);
        item.hidden = item.score === 0;
        if (!item.hidden) inGroup++;
        best = Math.max(best, item.score);
      });
      items.sort((a, b) => (b.score - a.score) || (a.dataset.order - b.dataset.order));
      const list = group.querySelector('.actions');
      items.forEach((item) => list.appendChild(item));
      group.hidden = inGroup === 0;
      group.best = terms.length ? best : 0;
      group.querySelector('.count').textContent = String(inGroup);
      shown += inGroup;
    });
    groups.sort((a, b) => (b.best - a.best) || (a.dataset.order - b.dataset.order));
    groups.forEach((group) => $('palette').appendChild(group));
    $('match-count').textContent = terms.length ? shown + ' / ' + state.actions.length : state.actions.length + ' 个 actions';
  }

  function visiblePicks() {
    return Array.from(document.querySelectorAll('#palette .action:not([hidden]) .pick')).filter((b) => !b.closest('.group[hidden]'));
  }

  /** Arrow keys move between the palette's actions; Home / End to the first / last; Enter picks (a button). */
  function paletteKeys(e) {
    if (!['ArrowDown', 'ArrowUp', 'Home', 'End'].includes(e.key)) return;
    const picks = visiblePicks();
    const at = picks.indexOf(document.activeElement);
    if (!picks.length) return;
    e.preventDefault();
    let next = e.key === 'Home' ? 0 : e.key === 'End' ? picks.length - 1 : at + (e.key === 'ArrowDown' ? 1 : -1);
    if (next < 0) { $('search').focus(); return; }
    next = Math.min(next, picks.length - 1);
    picks[next].focus();
    picks[next].scrollIntoView({ block: 'nearest' });
  }

  function markSelected(id, kind) {
    document.querySelectorAll('#palette .action').forEach((item) => {
      const selected = (kind === 'trigger' ? item.dataset.trigger : item.dataset.action) === id;
      item.classList.toggle('selected', selected);
      const pick = item.querySelector('.pick');
      if (selected) pick.setAttribute('aria-current', 'true');
      else pick.removeAttribute('aria-current');
    });
  }

  // ---------------------------------------------------------------- selecting an action

  async function selectAction(id, startValue) {
    const token = ++state.renderToken;
    const form = $('form');
    form.dataset.state = 'loading';
    form.dataset.action = id;
    markSelected(id);
    let descriptor;
    try {
      descriptor = await getJson('/api/actions/' + encodeURIComponent(id));
    } catch (e) {
      if (token === state.renderToken) {
        form.dataset.state = 'error';
        status('加载动作失败 Failed to load the action: ' + e.message);
      }
      return;
    }
    if (token !== state.renderToken) return;
    stopListening();
    state.trigger = null;
    $('trigger').hidden = true;
    state.descriptor = descriptor;
    if (location.hash !== '#' + id) history.replaceState(null, '', '#' + id);
    showHeader(descriptor);
    clearResult();
    await render(token, startValue);
  }

  /** The language changed: the form schema (its messages and labels) comes again in that language. */
  async function reloadDescriptor() {
    const value = state.editor && state.editor.ready ? state.editor.getValue() : undefined;
    return selectAction(state.descriptor.id, value);
  }

  function rerender() {
    const value = state.editor && state.editor.ready ? state.editor.getValue() : undefined;
    return render(++state.renderToken, value);
  }

  function showHeader(d) {
    $('welcome').hidden = true;
    $('action').hidden = false;
    $('action-title').textContent = d.title;
    $('action-title-en').textContent = d.titleEn || '';
    $('action-id').textContent = d.id;
    $('action-http').textContent = (d.http && d.http.method) + ' ' + (d.http && d.http.path);
    $('action-repeat').textContent = d.safeToRepeat ? '只读 · 可重试 read, safe to repeat' : '写操作 · 不自动重发 write, not repeated';
    $('action-repeat').className = 'badge ' + (d.safeToRepeat ? 'safe' : 'write');
    $('action-credential').textContent = 'Secret: ' + (d.credential || 'app');
    $('action-description').textContent = d.description || '';
    const doc = $('action-doc');
    if (d.docUrl) { doc.href = d.docUrl; doc.hidden = false; } else { doc.hidden = true; }
    document.title = d.title + ' · 连接器设计器';
    const examples = d.examples || [];
    $('fill-example').hidden = !examples.length;
    const choice = $('example-choice');
    choice.innerHTML = '';
    examples.forEach((example, i) => choice.appendChild(el('option', { value: String(i), text: example.title || ('#' + (i + 1)) })));
    choice.hidden = examples.length < 2;
    $('all-pages-label').hidden = !d.paging;
    $('all-pages').checked = false;
    $('upload').hidden = !(d.http && d.http.multipart);
    $('upload-file').value = '';
    $('upload-note').textContent = d.http && d.http.multipart ? uploadNote(d) : '';
    showOutputTree(d);
  }

  async function render(token, startValue) {
    const d = state.descriptor;
    const form = $('form');
    form.dataset.state = 'loading';
    form.dataset.action = d.id;
    const schema = JSON.parse(JSON.stringify(d.ui && d.ui.formSchema ? d.ui.formSchema : d.input || { type: 'object' }));
    schema.title = '输入参数 Input';
    for (const field of Object.keys(d.connectionDefaults || {})) {
      const property = schema.properties && schema.properties[field];
      if (property) {
        property.description = (property.description || '') + '（留空时取自连接 filled from the connection when left out）';
      }
    }
    state.choices = await loadChoices(d);
    if (token !== state.renderToken) return;
    applyChoices(schema, state.choices);

    destroyEditor();
    form.innerHTML = '';
    document.querySelectorAll('datalist.choice-list').forEach((list) => list.remove());
    JSONEditor.defaults.language = $('lang').value === 'en' ? 'en' : 'zh';
    const options = Object.assign({}, EDITOR_OPTIONS, { schema });
    if (startValue !== undefined) options.startval = startValue;
    let editor;
    try {
      editor = new JSONEditor(form, options);
    } catch (e) {
      form.dataset.state = 'error';
      status('表单生成失败 Form failed: ' + e.message);
      throw e;
    }
    state.editor = editor;
    editor.on('ready', () => {
      if (token !== state.renderToken || state.editor !== editor) return;
      decorateForm();
      showRequest();
      form.dataset.state = 'ready';
    });
    editor.on('change', () => {
      if (state.editor !== editor || !editor.ready) return;
      decorateForm();
      showRequest();
      refreshServerErrors();
    });
  }

  /** After json-editor (re)built fields: choices, required marks, labels, and the chosen type's fields only. */
  function decorateForm() {
    decorateChoices();
    const editor = state.editor;
    Object.values(editor.editors || {}).forEach((ed) => {
      if (!ed || !ed.container) return;
      const input = ed.input;
      const required = typeof ed.isRequired === 'function' && ed.isRequired() && ed.parent;
      if (input && input.setAttribute) {
        if (required) input.setAttribute('aria-required', 'true');
        else input.removeAttribute('aria-required');
        if (!accessibleName(input)) input.setAttribute('aria-label', ed.getTitle ? ed.getTitle() : ed.key);
      }
      if (ed.addproperty_checkboxes) hideUnavailableFields(ed);
    });
    form().querySelectorAll('input, select, textarea').forEach((input) => {
      if (!accessibleName(input) && input.type !== 'hidden') {
        const holder = input.closest('[data-schemapath]');
        const ed = holder && editor.getEditor(holder.dataset.schemapath);
        input.setAttribute('aria-label', (ed && ed.getTitle ? ed.getTitle() : '') || input.name || input.type);
      }
    });
  }

  function form() {
    return $('form');
  }

  function accessibleName(input) {
    if (input.getAttribute('aria-label') || input.getAttribute('aria-labelledby')) return true;
    if (input.closest('label')) return true;
    return Boolean(input.id && document.querySelector('label[for="' + CSS.escape(input.id) + '"]'));
  }

  /** The "add field" list offers only what the chosen type allows (template_card's card_type). */
  function hideUnavailableFields(objectEditor) {
    Object.entries(objectEditor.addproperty_checkboxes).forEach(([key, checkbox]) => {
      const property = (objectEditor.schema.properties || {})[key];
      const control = checkbox.closest('.form-control') || checkbox.parentNode;
      const deps = property && property.options && property.options.dependencies;
      let available = true;
      if (deps) {
        available = Object.entries(deps).every(([field, wanted]) => {
          const sibling = objectEditor.editors[field] || (objectEditor.cached_editors && objectEditor.cached_editors[field]);
          const value = sibling ? sibling.getValue() : undefined;
          return Array.isArray(wanted) ? wanted.includes(value) : wanted === value;
        });
      }
      if (control) control.hidden = !available;
    });
  }

  function destroyEditor() {
    state.serverErrors = [];
    if (state.editor) {
      try { state.editor.destroy(); } catch (e) { /* already gone */ }
      state.editor = null;
    }
  }

  function showRequest() {
    if (!state.editor || !state.editor.ready) return;
    $('request').textContent = pretty(state.editor.getValue());
  }

  // ---------------------------------------------------------------- dynamic choices (ui.options)

  async function loadChoices(d) {
    const options = (d.ui && d.ui.options) || {};
    const pointers = Object.keys(options);
    const result = {};
    if (!pointers.length) {
      $('choices-status').textContent = '';
      return result;
    }
    $('choices-status').textContent = '· 正在加载可选值… loading choices…';
    await Promise.all(pointers.map(async (pointer) => {
      const spec = options[pointer];
      const loaded = await cached(spec, () => fetchChoices(spec)).catch((e) => ({ error: e.message, items: [] }));
      result[pointer] = Object.assign({ spec }, loaded);
    }));
    const failed = pointers.filter((p) => result[p].error);
    const empty = pointers.filter((p) => !result[p].error && !result[p].items.length);
    const parts = [];
    if (pointers.length > failed.length + empty.length) {
      parts.push('可选值来自连接 choices from the connection: ' + pointers.filter((p) => !failed.includes(p) && !empty.includes(p)).join(', '));
    }
    if (empty.length) parts.push('连接中没有可选值 the connection has no choices for: ' + empty.join(', '));
    if (failed.length) parts.push('部分可选值加载失败 some choices failed: ' + failed.map((p) => p + ' (' + result[p].error + ')').join('; '));
    $('choices-status').textContent = '· ' + parts.join(' · ');
    return result;
  }

  /** One load per connection and spec, shared by every field and render that asks (failures are not kept). */
  function cached(spec, load) {
    const key = $('connection').value + '|' + JSON.stringify(spec);
    if (!state.choiceCache.has(key)) {
      const promise = load();
      state.choiceCache.set(key, promise);
      promise.catch(() => state.choiceCache.delete(key));
    }
    return state.choiceCache.get(key);
  }

  /** The items of one listing call: the array at spec.items of the action's output. */
  async function listing(action, input, itemsPointer) {
    const response = await post('/api/actions/' + encodeURIComponent(action) + '/execute', input || {}, 8000);
    if (!response.ok) {
      const error = response.body && response.body.error;
      throw new Error(action + ': ' + (error ? error.code + ' ' + error.message : 'HTTP ' + response.status));
    }
    const list = at(response.body, itemsPointer);
    if (!Array.isArray(list)) throw new Error(action + ': no list at ' + itemsPointer);
    return list;
  }

  /** Runs fn over the items, at most `limit` at a time. */
  async function mapLimited(items, limit, fn) {
    const results = new Array(items.length);
    let next = 0;
    async function worker() {
      while (next < items.length) {
        const i = next++;
        results[i] = await fn(items[i]);
      }
    }
    await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
    return results;
  }

  /**
   * The choices of a spec as [{value, label, detail, depth}]: one listing, or (forEach) the listing run for
   * each item of another one (members of every department, each with its departments' names); a spec
   * with a parent pointer comes as a tree, parents before their children.
   */
  async function fetchChoices(spec) {
    let raw;
    let names = new Map();
    if (spec.forEach) {
      const parents = await cached(spec.forEach, () => fetchChoices(spec.forEach));
      names = new Map(parents.items.map((p) => [String(p.value), p.label]));
      const lists = await mapLimited(parents.items, 4, (p) =>
        listing(spec.action, Object.assign({}, spec.input || {}, { [spec.forEach.as]: p.value }), spec.items));
      raw = lists.flat();
    } else {
      raw = await listing(spec.action, spec.input, spec.items);
    }
    const seen = new Map();
    const items = [];
    raw.forEach((item) => {
      const value = spec.value ? at(item, spec.value) : item;
      if (value === undefined || value === null) return;
      if (seen.has(String(value))) return;
      const label = spec.label ? at(item, spec.label) : value;
      const details = spec.detail ? [].concat(at(item, spec.detail) || []).map((id) => names.get(String(id))).filter(Boolean) : [];
      const choice = {
        value, label: label === undefined || label === null ? String(value) : String(label), detail: details.join('、'),
        parent: spec.parent ? at(item, spec.parent) : undefined, depth: 0
      };
      seen.set(String(value), choice);
      items.push(choice);
    });
    return { items: spec.parent ? asTree(items) : items };
  }

  /** Parents before their children, each with its depth. */
  function asTree(items) {
    const byValue = new Map(items.map((c) => [String(c.value), c]));
    const children = new Map();
    const roots = [];
    items.forEach((c) => {
      const parent = c.parent === undefined || c.parent === null ? null : String(c.parent);
      if (parent !== null && byValue.has(parent) && parent !== String(c.value)) {
        if (!children.has(parent)) children.set(parent, []);
        children.get(parent).push(c);
      } else {
        roots.push(c);
      }
    });
    const ordered = [];
    const visit = (c, depth) => {
      if (ordered.includes(c)) return;
      c.depth = depth;
      ordered.push(c);
      (children.get(String(c.value)) || []).forEach((child) => visit(child, depth + 1));
    };
    roots.forEach((c) => visit(c, 0));
    items.forEach((c) => visit(c, 0)); // cycles: none left out
    return ordered;
  }

  function choiceTitle(choice) {
    const text = String(choice.label) === String(choice.value) ? String(choice.value) : choice.label + '（' + choice.value + '）';
    return '\u3000'.repeat(choice.depth || 0) + text;
  }

  /**
   * Numeric targets (department and tag ids) become json-editor selects: enum + enum_titles (names, as a
   * tree), and for arrays of ids a multi-select (checkboxes). Text targets (userids) keep free text, since
   * a listing may not hold every valid id: they get a datalist and a searchable picker once the editor is built.
   */
  function applyChoices(schema, choices) {
    Object.entries(choices).forEach(([pointer, choice]) => {
      const found = schemaAt(schema, pointer);
      if (!found || !choice.items || !choice.items.length) return;
      choice.pathPattern = found.pathPattern;
      const target = found.schema;
      const isArray = target.type === 'array' && target.items && !Array.isArray(target.items);
      const scalar = isArray ? target.items : target;
      choice.many = isArray;
      choice.kind = scalar.type === 'integer' || scalar.type === 'number' ? 'number' : 'text';
      if (choice.kind === 'number') {
        const usable = choice.items.filter((c) => Number.isFinite(Number(c.value)));
        if (!usable.length) return;
        scalar.enum = usable.map((c) => Number(c.value));
        scalar.options = Object.assign({}, scalar.options, { enum_titles: usable.map(choiceTitle) });
        if (scalar.options.inputAttributes) delete scalar.options.inputAttributes;
        if (isArray) {
          target.uniqueItems = true;
          target.format = usable.length > 8 ? 'select' : 'checkbox';
        }
        choice.applied = 'enum';
      } else {
        // Pipe-separated lists ("zhangsan|lisi") take several ids in one string.
        choice.pipe = !isArray && (/\|/.test(scalar.description || '') || /\\\|/.test(scalar.pattern || ''));
        choice.applied = 'chips';
      }
    });
  }

  /** Adds a datalist and a picker to every text field (and text array) that has choices. */
  function decorateChoices() {
    const editor = state.editor;
    if (!editor || !editor.editors) return;
    Object.entries(state.choices).forEach(([pointer, choice]) => {
      if (choice.applied !== 'chips' || !choice.pathPattern) return;
      const itemPattern = choice.many ? new RegExp(choice.pathPattern.source.replace(/\$$/, '') + '\\.\\d+$') : null;
      Object.keys(editor.editors).forEach((path) => {
        if (itemPattern && itemPattern.test(path)) {
          // Each item of a text array: suggestions while typing.
          const item = editor.editors[path];
          if (item && item.input && item.input.tagName === 'INPUT') attachDatalist(item.input, pointer, choice);
          return;
        }
        if (!choice.pathPattern.test(path)) return;
        const ed = editor.editors[path];
        if (!ed || !ed.container) return;
        if (!ed.container.querySelector('.choice-chips[data-path="' + path + '"]')) decorate(ed, path, pointer, choice);
        markChips(path, choice);
      });
    });
  }

  /**
   * The picker of one field: a search box (name, userid, department) over the choices, and the matches
   * as buttons ("张三（zhangsan）· 研发部"); a click picks or, for lists, adds / removes.
   */
  function decorate(ed, path, pointer, choice) {
    if (ed.input && ed.input.tagName === 'INPUT' && !choice.many && !choice.pipe) attachDatalist(ed.input, pointer, choice);
    const id = 'pick-' + path.replace(/[^A-Za-z0-9_-]/g, '-');
    const filter = el('input', {
      type: 'search', class: 'chip-filter', id: id + '-filter', autocomplete: 'off',
      placeholder: '搜索姓名、账号或部门 Search name, id or department',
      'aria-label': '搜索可选值 Search choices: ' + (ed.getTitle ? ed.getTitle() : path), 'aria-controls': id
    });
    const list = el('div', { class: 'chip-list', id, role: 'group', 'aria-label': '可选值 Choices' });
    const chips = el('div', { class: 'choice-chips', 'data-path': path, 'data-pointer': pointer },
      el('span', { class: 'chips-label', text: choice.many || choice.pipe ? '从连接中选择（可多选）Pick: ' : '从连接中选择 Pick: ' }),
      filter, list);
    choice.items.forEach((c) => {
      const chip = el('button', {
        type: 'button', class: 'chip', 'data-value': String(c.value), title: c.detail ? c.detail : String(c.value),
        onclick: (e) => { e.preventDefault(); pickChoice(path, choice, c.value); }
      }, choiceTitle(c), c.detail ? el('span', { class: 'chip-detail', text: ' · ' + c.detail }) : null);
      chip.searchText = [c.value, c.label, c.detail].join(' ').toLowerCase();
      list.appendChild(chip);
    });
    const apply = () => {
      const terms = filter.value.toLowerCase().trim().split(/\s+/).filter(Boolean);
      let shown = 0;
      list.querySelectorAll('.chip').forEach((chip) => {
        const match = terms.every((t) => chip.searchText.includes(t)) && (shown < MAX_CHIPS || chip.classList.contains('on'));
        chip.hidden = !match;
        if (match) shown++;
      });
    };
    filter.addEventListener('input', apply);
    apply();
    if (ed.input && ed.input.parentNode) {
      ed.input.parentNode.insertBefore(chips, ed.input.nextSibling);
    } else if (ed.row_holder && ed.row_holder.parentNode) {
      ed.row_holder.parentNode.insertBefore(chips, ed.row_holder);
    } else {
      ed.container.appendChild(chips);
    }
  }

  function attachDatalist(input, pointer, choice) {
    const listId = 'choices-' + pointer.replace(/[^A-Za-z0-9_-]/g, '-');
    let list = document.getElementById(listId);
    if (!list) {
      list = el('datalist', { id: listId, class: 'choice-list' },
        choice.items.map((c) => el('option', { value: String(c.value), label: String(c.label) + (c.detail ? ' · ' + c.detail : '') })));
      document.body.appendChild(list);
    }
    input.setAttribute('list', listId);
    input.setAttribute('autocomplete', 'off');
  }

  /** Picks a value: sets it, or in a list fills the first empty row (else adds one), or takes it out again. */
  function pickChoice(path, choice, value) {
    const editor = state.editor;
    const ed = editor && editor.getEditor(path);
    if (!ed) return;
    const text = String(value);
    let next;
    if (choice.many) {
      const current = Array.isArray(ed.getValue()) ? ed.getValue().slice() : [];
      if (current.includes(text)) {
        next = current.filter((v) => v !== text);
      } else {
        const empty = current.findIndex((v) => v === '' || v === undefined || v === null);
        if (empty >= 0) current[empty] = text; else current.push(text);
        next = current;
      }
    } else if (choice.pipe) {
      const current = String(ed.getValue() || '').split('|').map((s) => s.trim()).filter(Boolean);
      next = (current.includes(text) ? current.filter((v) => v !== text) : current.concat([text])).join('|');
    } else {
      next = text;
    }
    ed.setValue(next);
    if (typeof ed.onChange === 'function') ed.onChange(true);
    markChips(path, choice);
  }

  function markChips(path, choice) {
    const ed = state.editor && state.editor.getEditor(path);
    const holder = ed && ed.container && ed.container.querySelector('.choice-chips[data-path="' + path + '"]');
    if (!holder) return;
    const value = ed.getValue();
    const chosen = new Set(Array.isArray(value) ? value.map(String)
      : String(value === undefined || value === null ? '' : value).split(choice.pipe ? '|' : '\u0000').map((s) => s.trim()));
    holder.querySelectorAll('.chip').forEach((chip) => {
      const on = chosen.has(chip.dataset.value);
      chip.classList.toggle('on', on);
      chip.setAttribute('aria-pressed', on ? 'true' : 'false');
    });
  }

  // ---------------------------------------------------------------- validate / execute

  async function run(kind) {
    const d = state.descriptor;
    const editor = state.editor;
    if (!d || !editor || !editor.ready || state.running) return;
    const input = editor.getValue();
    const connection = $('connection').value;
    if (kind === 'execute' && !d.safeToRepeat && connection && connection !== SANDBOX) {
      const question = '「' + d.title + '」会修改连接「' + connection + '」中的真实数据，确定执行吗？\n'
        + d.titleEn + ' changes real data on the connection "' + connection + '". Run it?';
      if (!window.confirm(question)) {
        $('result-status').textContent = '已取消 cancelled';
        document.body.dataset.result = 'cancelled';
        return;
      }
    }
    $('request').textContent = pretty(input);
    clearResult();
    clearServerErrors();
    state.running = true;
    $('busy').hidden = false;
    $('execute').disabled = true;
    $('validate').disabled = true;
    let response;
    try {
      response = await post(endpoint(d, kind), input);
    } catch (e) {
      response = { ok: false, status: 0, body: { error: { code: 'NETWORK', message: e.message } } };
    } finally {
      state.running = false;
      $('busy').hidden = true;
      $('execute').disabled = false;
      $('validate').disabled = false;
    }
    if (state.descriptor !== d) return;
    showResult(kind, response, input);
    remember(d, kind, input, response, connection);
    $('result-heading').focus({ preventScroll: true });
    $('result-heading').scrollIntoView({ block: 'nearest' });
  }

  /** The API path of a run: validate / execute, the message language, all pages when asked. */
  function endpoint(d, kind) {
    const query = [];
    if ($('lang').value === 'en') query.push('lang=en');
    if (kind === 'execute' && d.paging && $('all-pages').checked) query.push('allPages=true');
    return '/api/actions/' + encodeURIComponent(d.id) + '/' + kind + (query.length ? '?' + query.join('&') : '');
  }

  // ---------------------------------------------------------------- recent runs

  function recentRuns() {
    try { return JSON.parse(sessionStorage.getItem(RECENT_KEY) || '[]'); } catch (e) { return []; }
  }

  function remember(d, kind, input, response, connection) {
    const runs = recentRuns();
    runs.unshift({
      action: d.id, title: d.title, kind, connection, input, ok: response.ok, status: response.status,
      at: new Date().toLocaleTimeString()
    });
    sessionStorage.setItem(RECENT_KEY, JSON.stringify(runs.slice(0, MAX_RECENT)));
    renderRecent();
  }

  /** This page's recent runs, newest first; each opens its action with the input it ran with. */
  function renderRecent() {
    const list = $('recent');
    list.innerHTML = '';
    const runs = recentRuns();
    if (!runs.length) {
      list.appendChild(el('li', { class: 'muted', text: '还没有运行 No runs yet' }));
      return;
    }
    runs.forEach((r) => {
      list.appendChild(el('li', { class: r.ok ? 'ok' : 'failed' },
        el('button', {
          type: 'button', class: 'recent-run', 'data-action': r.action,
          onclick: () => selectAction(r.action, r.input)
        }, (r.ok ? '✔ ' : '✘ ') + r.title + ' ', el('code', { text: r.action }),
        ' · ' + (r.kind === 'execute' ? '执行 execute' : '校验 validate') + ' · HTTP ' + r.status + ' · ' + r.connection + ' · ' + r.at)));
    });
  }

  // ---------------------------------------------------------------- example, copy, upload

  function fillExample() {
    const d = state.descriptor;
    const example = d && (d.examples || [])[Number($('example-choice').value || 0)];
    if (!example || !state.editor) return;
    state.editor.setValue(JSON.parse(JSON.stringify(example.input)));
    showRequest();
  }

  function requestJson() {
    return pretty(state.editor && state.editor.ready ? state.editor.getValue() : {});
  }

  /** The same call against the HTTP API, as a shell command (the API key as a variable, never its value). */
  function curl() {
    const d = state.descriptor;
    const url = location.origin + endpoint(d, 'execute');
    const quote = (text) => "'" + String(text).replace(/'/g, "'\\''") + "'";
    const lines = ['curl -sS -X POST ' + quote(url), "-H 'Content-Type: application/json'"];
    if ($('connection').value) lines.push('-H ' + quote('X-Connection: ' + $('connection').value));
    if ($('api-key').value.trim()) lines.push('-H "Authorization: Bearer $RUNTIME_API_KEY"');
    lines.push('--data-binary ' + quote(JSON.stringify(state.editor.getValue())));
    return lines.join(' \\\n  ');
  }

  async function copy(text, what) {
    const note = $('copied');
    note.dataset.text = text;
    try {
      await navigator.clipboard.writeText(text);
      note.textContent = '已复制 ' + what + ' copied';
    } catch (e) {
      // No clipboard (not a secure context, or denied): select it for the user to copy.
      const area = el('textarea', { class: 'copy-fallback', 'aria-label': what, readonly: true });
      area.value = text;
      note.textContent = '';
      note.appendChild(area);
      area.select();
    }
  }

  function uploadNote(d) {
    const limits = uploadLimits(d);
    return Object.keys(limits).length ? '大小上限 Size limits: ' + Object.entries(limits).map(([type, bytes]) => type + ' ' + megabytes(bytes)).join(', ') : '';
  }

  /** media type -> largest upload in bytes, from the x-maxBytes of the type field's values. */
  function uploadLimits(d) {
    const limits = {};
    Object.values((d.input && d.input.properties) || {}).forEach((property) => {
      (property.oneOf || []).forEach((option) => {
        if (option['x-maxBytes'] !== undefined) limits[option.const] = option['x-maxBytes'];
      });
    });
    return limits;
  }

  function megabytes(bytes) {
    return (bytes / 1048576).toFixed(bytes % 1048576 ? 1 : 0) + ' MB';
  }

  /** The chosen file as base64 in the content field (and its name and type), after checking its size. */
  function uploadFile() {
    const d = state.descriptor;
    const file = $('upload-file').files[0];
    const spec = d && d.http && d.http.multipart;
    if (!file || !spec || !state.editor) return;
    const value = state.editor.getValue() || {};
    const limits = uploadLimits(d);
    const type = Object.keys(limits).length ? Object.values(value).find((v) => typeof v === 'string' && limits[v] !== undefined) : undefined;
    const limit = type ? limits[type] : undefined;
    clearServerErrors();
    if (limit !== undefined && file.size > limit) {
      showServerErrors([{ pointer: '/' + spec.content, rule: 'x-maxBytes',
        message: '/' + spec.content + ': 文件 ' + megabytes(file.size) + '，超过 ' + type + ' 的上限 ' + megabytes(limit)
          + ' · the file is larger than the ' + megabytes(limit) + ' limit for ' + type }], value);
      $('upload-file').value = '';
      return;
    }
    const reader = new FileReader();
    reader.onload = () => {
      const base64 = String(reader.result).replace(/^data:[^,]*,/, '');
      const next = Object.assign({}, state.editor.getValue());
      next[spec.content] = base64;
      if (!next[spec.filename]) next[spec.filename] = file.name;
      if (spec.contentType && !next[spec.contentType] && file.type) next[spec.contentType] = file.type;
      state.editor.setValue(next);
      $('upload-note').textContent = file.name + ' · ' + file.size + ' bytes · ' + uploadNote(d);
      showRequest();
    };
    reader.readAsDataURL(file);
  }

  // ---------------------------------------------------------------- the output schema as a tree

  function showOutputTree(d) {
    schemaTree($('output-tree'), d.output || {});
    $('output-schema').hidden = !$('output-tree').children.length;
  }

  /** A schema's properties as a nested list: name, type, title, description on hover; each with its pointer. */
  function schemaTree(tree, output) {
    tree.innerHTML = '';
    const defs = output.$defs || {};
    const resolve = (node) => {
      let n = node || {};
      for (let hops = 0; n.$ref && n.$ref.startsWith('#/$defs/') && hops < 16; hops++) {
        n = Object.assign({}, defs[n.$ref.substring(8)] || {}, n, { $ref: undefined });
      }
      return n;
    };
    const typeOf = (n) => (Array.isArray(n.type) ? n.type.join(' | ') : n.type) || (n.oneOf ? 'enum' : 'any');
    const branch = (schema, pointer, depth) => {
      const list = el('ul', { class: depth ? 'tree' : null });
      Object.entries(schema.properties || {}).forEach(([name, raw]) => {
        const node = resolve(raw);
        const path = pointer + '/' + name;
        const isArray = node.type === 'array';
        const inner = isArray ? resolve(node.items) : node;
        const item = el('li', { 'data-pointer': path },
          el('code', { class: 'name', text: name + (isArray ? '[]' : '') }), ' ',
          el('span', { class: 'type', text: isArray ? 'array<' + typeOf(inner) + '>' : typeOf(node) }), ' ',
          el('span', { class: 'title', text: node.title || '' }));
        if (node.description) item.title = node.description;
        if (inner.properties && depth < 8) item.appendChild(branch(inner, path + (isArray ? '/0' : ''), depth + 1));
        list.appendChild(item);
      });
      return list;
    };
    Array.from(branch(resolve(output), '', 0).children).forEach((li) => tree.appendChild(li));
  }

  // ---------------------------------------------------------------- triggers: the event schema, listening

  async function selectTrigger(id) {
    const token = ++state.renderToken;
    markSelected(id, 'trigger');
    let trigger;
    try {
      trigger = await getJson('/api/triggers/' + encodeURIComponent(id));
    } catch (e) {
      status('加载触发器失败 Failed to load the trigger: ' + e.message);
      return;
    }
    if (token !== state.renderToken) return;
    stopListening();
    destroyEditor();
    state.descriptor = null;
    state.trigger = trigger;
    if (location.hash !== '#' + TRIGGER_HASH + id) history.replaceState(null, '', '#' + TRIGGER_HASH + id);
    $('welcome').hidden = true;
    $('action').hidden = true;
    $('trigger').hidden = false;
    $('trigger-title').textContent = trigger.title;
    $('trigger-title-en').textContent = trigger.titleEn || '';
    $('trigger-id').textContent = trigger.id;
    $('trigger-kind').textContent = '回调 callback: ' + (trigger.callbackKind || '');
    const match = trigger.match || {};
    $('trigger-match').textContent = [match.msgType, match.event, match.changeType].filter(Boolean).join(' · ');
    $('trigger-description').textContent = trigger.description || '';
    const doc = $('trigger-doc');
    if (trigger.docUrl) { doc.href = trigger.docUrl; doc.hidden = false; } else { doc.hidden = true; }
    document.title = trigger.title + ' · 连接器设计器';
    schemaTree($('trigger-tree'), trigger.schema || {});
    $('listen-connection').textContent = $('connection').value;
    $('events').innerHTML = '';
    $('listen-status').textContent = '';
    document.body.dataset.listening = 'off';
  }

  /**
   * Reads the host's event stream (Server-Sent Events at /api/events/stream) for this trigger on the
   * chosen connection, newest first. Read with fetch rather than EventSource so the API key and
   * connection go as headers like every other call of the page.
   */
  async function listen() {
    const trigger = state.trigger;
    if (!trigger || state.listening) return;
    const connection = $('connection').value;
    const controller = new AbortController();
    state.listening = controller;
    $('listen').textContent = '停止 Stop';
    $('listen-status').textContent = '正在监听 listening on ' + connection + '…';
    const url = '/api/events/stream?trigger=' + encodeURIComponent(trigger.id) + (connection ? '&connection=' + encodeURIComponent(connection) : '');
    try {
      const response = await fetch(url, { headers: Object.assign(headers(false), { Accept: 'text/event-stream' }), signal: controller.signal });
      if (!response.ok || !response.body) throw new Error('HTTP ' + response.status);
      document.body.dataset.listening = 'on';
      const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
      let buffer = '';
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += value;
        let end;
        while ((end = buffer.search(/\r?\n\r?\n/)) >= 0) {
          const block = buffer.substring(0, end);
          buffer = buffer.substring(end).replace(/^\r?\n\r?\n/, '');
          const data = block.split(/\r?\n/).filter((line) => line.startsWith('data:')).map((line) => line.substring(5).replace(/^ /, '')).join('\n');
          if (data && state.listening === controller) showEvent(JSON.parse(data));
        }
      }
    } catch (e) {
      if (state.listening === controller && e.name !== 'AbortError') $('listen-status').textContent = '监听中断 stopped: ' + e.message;
    } finally {
      if (state.listening === controller) {
        state.listening = null;
        $('listen').textContent = '开始监听 Listen';
        document.body.dataset.listening = 'off';
      }
    }
  }

  function stopListening() {
    if (!state.listening) return;
    const controller = state.listening;
    state.listening = null;
    controller.abort();
    $('listen').textContent = '开始监听 Listen';
    $('listen-status').textContent = '已停止 stopped';
    document.body.dataset.listening = 'off';
  }

  function showEvent(envelope) {
    const list = $('events');
    const event = envelope.event || {};
    const summary = [envelope.receivedAt, envelope.connection, event.UserID || event.ExternalUserID || event.FromUserName || '']
      .filter(Boolean).join(' · ');
    list.insertBefore(el('li', { 'data-event': envelope.id || '' },
      el('details', {}, el('summary', {}, el('code', { text: envelope.trigger || '' }), ' ' + summary),
        el('pre', { class: 'json', text: pretty(envelope) }))), list.firstChild);
    while (list.children.length > MAX_EVENTS) list.removeChild(list.lastChild);
    $('listen-status').textContent = '正在监听 listening · ' + list.children.length + ' 个事件 events';
  }

  function clearResult() {
    $('result-status').textContent = '';
    $('result-status').className = 'status';
    $('output').textContent = '';
    $('output').hidden = false;
    $('error').hidden = true;
    $('error').innerHTML = '';
    $('warnings').hidden = true;
    $('warnings').innerHTML = '';
    document.body.dataset.result = '';
  }

  function showResult(kind, response, input) {
    const statusEl = $('result-status');
    const details = [kind === 'execute' ? '执行 execute' : '校验 validate', 'HTTP ' + (response.status || '—')];
    if (response.attempts) details.push('尝试 attempts ' + response.attempts);
    if (response.ms !== undefined) details.push(response.ms + ' ms');
    statusEl.textContent = (response.ok ? '✔ ' : '✘ ') + details.join(' · ');
    statusEl.className = 'status ' + (response.ok ? 'ok' : 'failed');
    document.body.dataset.result = response.ok ? 'ok' : 'error';
    if (response.ok && kind === 'execute' && state.descriptor && !state.descriptor.safeToRepeat) {
      state.choiceCache.clear(); // a write may have changed the lists the choices come from
    }
    if (response.ok) {
      $('output').textContent = pretty(kind === 'validate' && response.body && response.body.valid ? { valid: true } : response.body);
      showWarnings(response.warnings || []);
      return;
    }
    const problem = response.body || {};
    const error = problem.error || { code: problem.title || 'ERROR', message: problem.detail || ('HTTP ' + response.status) };
    $('output').textContent = pretty(problem);
    $('output').hidden = true;
    showError(error);
    if (Array.isArray(error.fieldErrors) && error.fieldErrors.length) showServerErrors(error.fieldErrors, input, error.hint);
  }

  function showError(error) {
    const box = $('error');
    box.innerHTML = '';
    box.appendChild(el('p', { class: 'code' }, el('strong', { text: error.code || 'ERROR' }),
      error.retryable ? el('span', { class: 'badge', text: '可重试 retryable' }) : null));
    box.appendChild(el('p', { class: 'message', text: error.message || '' }));
    if (error.errcode !== undefined || error.errmsg) {
      box.appendChild(el('p', { class: 'upstream' },
        el('span', { text: 'errcode: ' }), el('code', { class: 'errcode', text: String(error.errcode) }),
        el('span', { text: '  errmsg: ' }), el('code', { class: 'errmsg', text: String(error.errmsg || '') })));
    }
    if (error.hint) box.appendChild(el('p', { class: 'hint-text' }, el('strong', { text: '提示 Hint: ' }), error.hint));
    if (Array.isArray(error.fieldErrors) && error.fieldErrors.length) {
      // One line per message: a rule reported at several fields (one of mobile / email) is said once.
      const byMessage = new Map();
      error.fieldErrors.forEach((fe) => {
        const text = stripPointer(fe);
        if (!byMessage.has(text)) byMessage.set(text, []);
        byMessage.get(text).push(fe.pointer || '/');
      });
      box.appendChild(el('ul', { class: 'field-errors' }, Array.from(byMessage.entries()).map(([text, pointers]) =>
        el('li', {}, pointers.map((p, i) => [i ? ' ' : null, el('code', { text: p })]), ' ', text))));
    }
    const raw = el('details', {}, el('summary', { text: '原始响应 Raw problem' }), el('pre', { class: 'json', text: $('output').textContent }));
    box.appendChild(raw);
    box.hidden = false;
  }

  /** What WeCom does to accepted input (fields it truncates), above the output. */
  function showWarnings(warnings) {
    if (!warnings.length) return;
    const box = $('warnings');
    box.appendChild(el('p', {}, el('strong', { text: '⚠ 提醒 Warnings' })));
    box.appendChild(el('ul', {}, warnings.map((w) =>
      el('li', {}, el('code', { text: w.pointer || '/' }), ' ', stripPointer(w)))));
    box.hidden = false;
  }

  function stripPointer(fieldError) {
    const message = fieldError.message || '';
    const prefix = (fieldError.pointer || '') + ': ';
    return fieldError.pointer && message.startsWith(prefix) ? message.substring(prefix.length) : message;
  }

  // ---------------------------------------------------------------- field errors at their fields

  /**
   * Shows each 422 field error next to its field: the pointer (/textcard/url) becomes json-editor's
   * path (root.textcard.url); a message element goes right under that editor's input (or header). When
   * no editor has that path (an array item not in the form, a property the schema does not know), it
   * goes to the nearest ancestor, with its pointer. An error goes away once its field's value changes.
   */
  function showServerErrors(fieldErrors, value, hint) {
    const editor = state.editor;
    if (!editor) return;
    fieldErrors.forEach((fe) => {
      const exact = pointerToPath(fe.pointer || '');
      let path = exact;
      let ed = editor.getEditor(path);
      while (!ed && path.includes('.')) {
        path = path.substring(0, path.lastIndexOf('.'));
        ed = editor.getEditor(path);
      }
      if (ed && ed.parent && ed.parent.editors && !(ed.key in ed.parent.editors) && ed.parent.addObjectProperty) {
        ed.parent.addObjectProperty(ed.key); // an optional field not added yet: add it, with its error
        ed.parent.onChange(true);
        ed = editor.getEditor(path);
      }
      if (!ed || !ed.container) return;
      let text = path === exact ? stripPointer(fe) : fe.message;
      if (hint && /^errcode/.test(fe.rule || '')) text += ' — ' + hint;
      const id = 'server-error-' + (++state.errorIds);
      const message = el('div', { class: 'field-error', id, 'data-pointer': fe.pointer || '', 'data-rule': fe.rule || '' }, '⚠ ' + text);
      placeError(ed, message);
      ed.container.classList.add('has-field-error');
      const input = path === exact && ed.input && ed.input.setAttribute ? ed.input : null;
      if (input) {
        input.setAttribute('aria-invalid', 'true');
        describe(input, id, true);
      }
      state.serverErrors.push({ pointer: fe.pointer || '', path, element: message, input: input, container: ed.container, snapshot: JSON.stringify(at(value, fe.pointer || '')) });
    });
    const first = state.serverErrors.find((e) => e.element.isConnected && e.element.offsetParent !== null);
    if (first) first.element.scrollIntoView({ block: 'center', behavior: 'instant' });
  }

  function placeError(ed, message) {
    const anchor = ed.input && ed.input.parentNode && ed.container.contains(ed.input) ? ed.input
      : (ed.header && ed.container.contains(ed.header) ? ed.header
        : (ed.title && ed.container.contains(ed.title) ? ed.title : (ed.label && ed.container.contains(ed.label) ? ed.label : null)));
    let node = anchor;
    // Keep it after the opt-in checkbox / label group of an object or array header.
    if (node && node.parentNode && node.parentNode !== ed.container && node.parentNode.tagName === 'LABEL') node = node.parentNode;
    if (node && node.parentNode) {
      // After the input, its choice chips and the errors already shown there, in the server's order.
      let after = node;
      while (after.nextSibling && after.nextSibling.classList
        && (after.nextSibling.classList.contains('choice-chips') || after.nextSibling.classList.contains('field-error'))) {
        after = after.nextSibling;
      }
      after.parentNode.insertBefore(message, after.nextSibling);
    } else {
      ed.container.insertBefore(message, ed.container.firstChild);
    }
  }

  function refreshServerErrors() {
    if (!state.serverErrors.length || !state.editor) return;
    const value = state.editor.getValue();
    state.serverErrors = state.serverErrors.filter((e) => {
      if (JSON.stringify(at(value, e.pointer)) === e.snapshot) return true;
      removeServerError(e);
      return false;
    });
  }

  function clearServerErrors() {
    state.serverErrors.forEach(removeServerError);
    state.serverErrors = [];
  }

  function removeServerError(e) {
    if (e.element.parentNode) e.element.parentNode.removeChild(e.element);
    if (e.input) {
      describe(e.input, e.element.id, false);
      if (!e.input.getAttribute('aria-describedby') || !e.input.getAttribute('aria-describedby').includes('server-error')) e.input.removeAttribute('aria-invalid');
    }
    if (e.container && !e.container.querySelector('.field-error')) e.container.classList.remove('has-field-error');
  }

  // ---------------------------------------------------------------- for tests and the console

  window.designer = {
    select: selectAction,
    editor: () => state.editor,
    value: () => (state.editor && state.editor.ready ? state.editor.getValue() : undefined),
    errors: () => window.__designerErrors.slice(),
    choices: () => state.choices,
    curl
  };

  start();
})();
