// The rotation board on a staff phone, drawn here from the board the server sent (the prop `board`) and the deltas
// its site's socket.io room brings (components/live_board.py): the server serialises each change once per site,
// and this phone's own clock moves the "since" and "waited" times.
export default {
  props: {
    board: String, // JSON: {v, base: null, clock, rows: [{id, name, state, color, since (ms), receptions, flags, up_next, counted}], gone, order, line, head}
    me: Number,
    texts: Object, // {just_now, minutes, hours, me, counts: [6 labels], empty}: '{n}', '{h}', '{m}' filled in here
  },
  data() {
    return { v: -1, byId: {}, order: [], head: { counts: [], overdue: null, waiting: null, empty: false }, now: Date.now(), skew: 0 };
  },
  watch: {
    board: {
      immediate: true,
      handler(text) {
        const value = text ? JSON.parse(text) : null;
        if (value && value.v >= this.v) this.replace(value);
      },
    },
  },
  mounted() {
    this.timer = setInterval(() => (this.now = Date.now()), 30000);
    this.listener = (message) => this.apply(message);
    const listen = () => (window.socket ? window.socket.on("ac_board", this.listener) : setTimeout(listen, 10));
    listen(); // the page's socket is made once its elements are mounted
  },
  unmounted() {
    clearInterval(this.timer);
    window.socket?.off("ac_board", this.listener);
  },
  computed: {
    placed() {
      let n = 0;
      return this.order
        .map((id) => this.byId[id])
        .filter((row) => row)
        .map((row) => ({ ...row, place: row.counted ? String(++n) : "·" }));
    },
  },
  methods: {
    replace(message) {
      const byId = {};
      for (const row of message.rows) byId[row.id] = row;
      this.byId = byId;
      this.settle(message);
    },
    apply(message) {
      if (message.v <= this.v) return; // the whole board came first
      if (message.base !== this.v) {
        this.$emit("stale"); // a delta was missed (a socket that reconnected): the server sends this phone the whole board
        return;
      }
      const byId = { ...this.byId };
      for (const id of message.gone) delete byId[id];
      for (const row of message.rows) byId[row.id] = row;
      this.byId = byId;
      this.settle(message);
    },
    settle(message) {
      // for board_place.js: my place line is drawn with my day's card, which may reach the phone after the delta
      // that made me next; it takes the newest line from here when it is mounted
      window.acBoardLine = { v: message.v, line: message.line };
      this.v = message.v;
      this.order = message.order;
      this.head = message.head;
      this.skew = message.clock - Date.now();
      this.now = Date.now();
    },
    minutes(at) {
      const minutes = Math.max(0, Math.floor((this.now + this.skew - at) / 60000));
      if (minutes < 1) return this.texts.just_now;
      if (minutes < 60) return this.texts.minutes.replace("{n}", minutes);
      return this.texts.hours.replace("{h}", Math.floor(minutes / 60)).replace("{m}", minutes % 60);
    },
  },
  template: `
    <div class="nicegui-column w-full gap-2">
      <div class="nicegui-grid w-full gap-2" style="grid-template-columns: repeat(3, minmax(0, 1fr))" data-mark="board-counts">
        <q-card v-for="(label, i) in texts.counts" :key="label" class="nicegui-card items-center gap-0 py-2">
          <div class="font-bold text-2xl" :data-count="label">{{ head.counts[i] }}</div>
          <div class="ac-muted text-xs">{{ label }}</div>
        </q-card>
      </div>
      <div v-if="head.overdue" class="w-full rounded bg-red-100 text-red-900 font-semibold p-2 text-sm">{{ head.overdue }}</div>
      <q-card v-if="head.waiting" class="nicegui-card w-full bg-amber-100 gap-1" data-mark="board-waiting">
        <div class="font-semibold text-amber-900 text-base">{{ head.waiting.title }}</div>
        <div v-if="head.waiting.more" class="text-amber-900 text-xs">{{ head.waiting.more }}</div>
        <div v-for="line in head.waiting.lines" :key="line[1] + line[0]" class="text-sm">{{ line[0].replace("{since}", minutes(line[1])) }}</div>
      </q-card>
      <div v-if="head.empty" class="ac-muted">{{ texts.empty }}</div>
      <div class="nicegui-column w-full gap-2 ac-live-board">
      <q-card v-for="row in placed" :key="row.id" :data-staff="row.id"
        :class="['nicegui-card w-full', row.up_next ? 'ring-4 ring-green-600' : '', row.id === me ? 'ac-me' : '']" :aria-current="row.id === me ? 'true' : null">
        <div class="nicegui-row w-full items-center no-wrap gap-3">
          <div class="font-bold text-center text-xl w-8">{{ row.place }}</div>
          <div class="nicegui-column gap-0 min-w-0 flex-1">
            <div class="nicegui-row items-center gap-2 no-wrap">
              <div class="font-semibold truncate text-lg">{{ row.name }}</div>
              <q-badge v-if="row.id === me" color="teal-9">{{ texts.me }}</q-badge>
              <q-badge v-for="flag in row.flags" :key="flag[0]" :color="flag[1]">{{ flag[0] }}</q-badge>
            </div>
            <div class="ac-muted text-xs">{{ row.receptions }}</div>
          </div>
          <div class="nicegui-column items-end gap-0">
            <q-badge :color="row.color" class="text-sm px-2 py-1">{{ row.state }}</q-badge>
            <div class="ac-muted text-xs">{{ minutes(row.since) }}</div>
          </div>
        </div>
      </q-card>
      </div>
    </div>
  `,
};
