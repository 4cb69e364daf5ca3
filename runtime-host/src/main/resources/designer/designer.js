/*
 * The connector designer: a palette of every action, its input form rendered by json-editor from
 * ui.formSchema, dynamic choices from ui.options, execute / validate against a connection, and the
 * server's field errors shown at their fields. No framework, nothing from the internet.
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
    button_properties: '属性',
    button_object_properties: '对象属性',
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

  const EDITOR_OPTIONS = {
    theme: 'html',
    iconlib: null,
    show_opt_in: true,               // optional fields start unticked: the value holds only what the user filled
    use_default_values: true,
    disable_edit_json: true,         // free-form objects turn it back on in their own options
    disable_collapse: true,
    disable_properties: true,
    disable_array_delete_all_rows: true,
    disable_array_delete_last_row: true,
    disable_array_reorder: false,
    prompt_before_delete: false,
    show_errors: 'interaction',
    keep_oneof_values: false,
    array_controls_top: false,
    max_depth: 0
  };

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
    serverErrors: [],      // [{pointer, path, element, snapshot}]
    running: false
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
    children.flat().forEach((c) => {
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
      connectors.forEach((c) => (c.categories || []).forEach((cat) => state.categories.push(Object.assign({ connector: c }, cat))));
      fillConnections(connections);
      $('connector-summary').textContent = connectors.map((c) => c.title + ' ' + c.titleEn).join(' · ')
        + ' — ' + actions.length + ' 个动作 actions';
      renderPalette();
      bindControls();
      document.body.dataset.state = 'ready';
      const wanted = decodeURIComponent(location.hash.replace(/^#/, ''));
      if (wanted && actions.some((a) => a.id === wanted)) await selectAction(wanted);
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
        const first = document.querySelector('#palette .action:not([hidden]) .pick');
        if (first) first.click();
      }
    });
    $('connection').addEventListener('change', () => {
      sessionStorage.setItem('designer.connection', $('connection').value);
      if (state.descriptor) rerender();
    });
    $('execute').addEventListener('click', () => run('execute'));
    $('validate').addEventListener('click', () => run('validate'));
    window.addEventListener('hashchange', () => {
      const wanted = decodeURIComponent(location.hash.replace(/^#/, ''));
      if (wanted && (!state.descriptor || state.descriptor.id !== wanted) && state.actions.some((a) => a.id === wanted)) {
        selectAction(wanted);
      }
    });
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
      actions.forEach((a) => {
        const haystack = [a.id, a.title, a.titleEn, a.description, a.path, category.title, category.titleEn]
          .filter(Boolean).join('\n').toLowerCase();
        list.appendChild(el('li', { class: 'action', 'data-action': a.id, 'data-search': haystack },
          el('button', { type: 'button', class: 'pick', title: a.id, onclick: () => selectAction(a.id) },
            el('span', { class: 'title', text: a.title }),
            el('span', { class: 'en', text: a.titleEn || '' }),
            el('span', { class: 'method ' + (a.method || '').toLowerCase(), text: a.method || '' })),
          el('p', { class: 'desc', text: a.description || '', title: a.description || '' }),
          a.docUrl ? el('a', { class: 'doc', href: a.docUrl, target: '_blank', rel: 'noopener noreferrer', text: '文档 Doc ↗' }) : null));
      });
      holder.appendChild(el('section', { class: 'group', 'data-category': category.id },
        el('h3', {}, el('span', { text: category.title }), ' ', el('span', { class: 'en', text: category.titleEn || '' }),
          el('span', { class: 'count', text: String(actions.length) })),
        list));
    });
    filterPalette();
  }

  function filterPalette() {
    const terms = $('search').value.toLowerCase().trim().split(/\s+/).filter(Boolean);
    let shown = 0;
    document.querySelectorAll('#palette .group').forEach((group) => {
      let inGroup = 0;
      group.querySelectorAll('.action').forEach((item) => {
        const match = terms.every((t) => item.dataset.search.includes(t));
        item.hidden = !match;
        if (match) inGroup++;
      });
      group.hidden = inGroup === 0;
      group.querySelector('.count').textContent = String(inGroup);
      shown += inGroup;
    });
    $('match-count').textContent = terms.length ? shown + ' / ' + state.actions.length : state.actions.length + ' 个 actions';
  }

  function markSelected(id) {
    document.querySelectorAll('#palette .action').forEach((item) => item.classList.toggle('selected', item.dataset.action === id));
  }

  // ---------------------------------------------------------------- selecting an action

  async function selectAction(id) {
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
    state.descriptor = descriptor;
    if (location.hash !== '#' + id) history.replaceState(null, '', '#' + id);
    showHeader(descriptor);
    clearResult();
    await render(token, undefined);
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
      decorateChoices();
      showRequest();
      form.dataset.state = 'ready';
    });
    editor.on('change', () => {
      if (state.editor !== editor || !editor.ready) return;
      decorateChoices();
      showRequest();
      refreshServerErrors();
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
    const connection = $('connection').value;
    await Promise.all(pointers.map(async (pointer) => {
      const spec = options[pointer];
      const key = connection + '|' + JSON.stringify([spec.action, spec.input || {}, spec.items, spec.value, spec.label]);
      if (!state.choiceCache.has(key)) {
        state.choiceCache.set(key, fetchChoices(spec).catch((e) => ({ error: e.message, items: [] })));
      }
      const loaded = await state.choiceCache.get(key);
      if (loaded.error) state.choiceCache.delete(key);
      result[pointer] = Object.assign({ spec }, loaded);
    }));
    const failed = pointers.filter((p) => result[p].error);
    $('choices-status').textContent = failed.length
      ? '· 部分可选值加载失败 some choices failed: ' + failed.map((p) => p + ' (' + result[p].error + ')').join('; ')
      : '· 可选值来自连接 choices from the connection: ' + pointers.join(', ');
    return result;
  }

  async function fetchChoices(spec) {
    const response = await post('/api/actions/' + encodeURIComponent(spec.action) + '/execute', spec.input || {}, 8000);
    if (!response.ok) {
      const error = response.body && response.body.error;
      throw new Error(spec.action + ': ' + (error ? error.code + ' ' + error.message : 'HTTP ' + response.status));
    }
    const list = at(response.body, spec.items);
    if (!Array.isArray(list)) throw new Error(spec.action + ': no list at ' + spec.items);
    const seen = new Set();
    const items = [];
    list.forEach((item) => {
      const value = spec.value ? at(item, spec.value) : item;
      if (value === undefined || value === null || seen.has(String(value))) return;
      seen.add(String(value));
      const label = spec.label ? at(item, spec.label) : value;
      items.push({ value, label: label === undefined || label === null ? String(value) : String(label) });
    });
    return { items };
  }

  function choiceTitle(choice) {
    return String(choice.label) === String(choice.value) ? String(choice.value) : choice.label + '（' + choice.value + '）';
  }

  /**
   * Numeric targets (department and tag ids) become json-editor selects: enum + enum_titles, and for
   * arrays of ids a multi-select (checkboxes). Text targets (userids) keep free text, since a listing
   * may not hold every valid id: they get a datalist and choice chips once the editor is built.
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
        const values = choice.items.map((c) => Number(c.value)).filter((v) => Number.isFinite(v));
        const titles = choice.items.filter((c) => Number.isFinite(Number(c.value))).map(choiceTitle);
        if (!values.length) return;
        scalar.enum = values;
        scalar.options = Object.assign({}, scalar.options, { enum_titles: titles });
        if (scalar.options.inputAttributes) delete scalar.options.inputAttributes;
        if (isArray) {
          target.uniqueItems = true;
          target.format = values.length > 8 ? 'select' : 'checkbox';
        }
        choice.applied = 'enum';
      } else {
        // Pipe-separated lists ("zhangsan|lisi") take several ids in one string.
        choice.pipe = !isArray && (/\|/.test(scalar.description || '') || /\\\|/.test(scalar.pattern || ''));
        choice.applied = 'chips';
      }
    });
  }

  /** Adds a datalist and clickable chips to every text field (and text array) that has choices. */
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

  function decorate(ed, path, pointer, choice) {
    if (ed.input && ed.input.tagName === 'INPUT' && !choice.many && !choice.pipe) attachDatalist(ed.input, pointer, choice);
    const chips = el('div', { class: 'choice-chips', 'data-path': path, 'data-pointer': pointer },
      el('span', { class: 'chips-label', text: choice.many || choice.pipe ? '从连接中选择（可多选）Pick: ' : '从连接中选择 Pick: ' }));
    choice.items.forEach((c) => {
      chips.appendChild(el('button', {
        type: 'button', class: 'chip', 'data-value': String(c.value), title: String(c.value),
        onclick: (e) => { e.preventDefault(); pickChoice(path, choice, c.value); }
      }, choiceTitle(c)));
    });
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
        choice.items.map((c) => el('option', { value: String(c.value), label: String(c.label) })));
      document.body.appendChild(list);
    }
    input.setAttribute('list', listId);
    input.setAttribute('autocomplete', 'off');
  }

  function pickChoice(path, choice, value) {
    const editor = state.editor;
    const ed = editor && editor.getEditor(path);
    if (!ed) return;
    activate(ed);
    const text = String(value);
    let next;
    if (choice.many) {
      const current = Array.isArray(ed.getValue()) ? ed.getValue().slice() : [];
      next = current.includes(text) ? current.filter((v) => v !== text) : current.concat([text]);
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

  /** Ticks the editor and its parents when they are opt-in fields left out so far. */
  function activate(ed) {
    const chain = [];
    for (let e = ed; e && e.parent; e = e.parent) chain.unshift(e);
    chain.forEach((e) => {
      if (typeof e.isActive === 'function' && !e.isActive() && e.optInCheckbox) e.activate();
    });
  }

  function markChips(path, choice) {
    const ed = state.editor && state.editor.getEditor(path);
    const holder = ed && ed.container && ed.container.querySelector('.choice-chips[data-path="' + path + '"]');
    if (!holder) return;
    const value = ed.getValue();
    const chosen = new Set(Array.isArray(value) ? value.map(String)
      : String(value === undefined || value === null ? '' : value).split(choice.pipe ? '|' : '\u0000').map((s) => s.trim()));
    holder.querySelectorAll('.chip').forEach((chip) => chip.classList.toggle('on', chosen.has(chip.dataset.value)));
  }

  // ---------------------------------------------------------------- validate / execute

  async function run(kind) {
    const d = state.descriptor;
    const editor = state.editor;
    if (!d || !editor || !editor.ready || state.running) return;
    const input = editor.getValue();
    $('request').textContent = pretty(input);
    clearResult();
    clearServerErrors();
    state.running = true;
    $('busy').hidden = false;
    $('execute').disabled = true;
    $('validate').disabled = true;
    const lang = $('lang').value === 'en' ? '?lang=en' : '';
    try {
      const response = await post('/api/actions/' + encodeURIComponent(d.id) + '/' + kind + lang, input);
      if (state.descriptor !== d) return;
      showResult(kind, response, input);
    } catch (e) {
      showResult(kind, { ok: false, status: 0, body: { error: { code: 'NETWORK', message: e.message } } }, input);
    } finally {
      state.running = false;
      $('busy').hidden = true;
      $('execute').disabled = false;
      $('validate').disabled = false;
    }
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
    if (Array.isArray(error.fieldErrors) && error.fieldErrors.length) showServerErrors(error.fieldErrors, input);
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
      box.appendChild(el('ul', { class: 'field-errors' }, error.fieldErrors.map((fe) =>
        el('li', {}, el('code', { text: fe.pointer || '/' }), ' ', el('span', { class: 'rule', text: fe.rule || '' }), ' ', stripPointer(fe)))));
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
  function showServerErrors(fieldErrors, input) {
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
      if (!ed || !ed.container) return;
      const text = path === exact ? stripPointer(fe) : fe.message;
      const message = el('div', { class: 'field-error', role: 'alert', 'data-pointer': fe.pointer || '', 'data-rule': fe.rule || '' }, '⚠ ' + text);
      placeError(ed, message);
      ed.container.classList.add('has-field-error');
      state.serverErrors.push({ pointer: fe.pointer || '', path, element: message, container: ed.container, snapshot: JSON.stringify(at(input, fe.pointer || '')) });
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
    if (e.container && !e.container.querySelector('.field-error')) e.container.classList.remove('has-field-error');
  }

  // ---------------------------------------------------------------- for tests and the console

  window.designer = {
    select: selectAction,
    editor: () => state.editor,
    value: () => (state.editor && state.editor.ready ? state.editor.getValue() : undefined),
    errors: () => window.__designerErrors.slice(),
    choices: () => state.choices
  };

  start();
})();
