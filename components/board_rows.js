// The rotation board's rows on a staff phone, drawn in the browser from one list the server sends.
// Hundreds of rows on hundreds of phones as server-side elements cost the server megabytes per phone and a
// rebuild per change; here a change is one message per phone and the phone's own clock moves the "since" times.
export default {
  props: {
    rows: String, // JSON: [{id, name, state, color, since (ms), receptions, flags: [[text, color]], up_next, counted}]
    me: Number,
    texts: Object, // {just_now, minutes, hours, me}: '{n}', '{h}', '{m}' filled in here
    clock: Number, // the server's time (ms) when it sent the rows: this phone's clock may be off
  },
  data() {
    return { now: Date.now(), skew: 0 };
  },
  watch: {
    clock: {
      immediate: true,
      handler(value) {
        this.skew = value - Date.now();
      },
    },
  },
  mounted() {
    this.timer = setInterval(() => (this.now = Date.now()), 30000);
  },
  unmounted() {
    clearInterval(this.timer);
  },
  computed: {
    placed() {
      let n = 0;
      return JSON.parse(this.rows).map((row) => ({ ...row, place: row.counted ? String(++n) : "·" }));
    },
  },
  methods: {
    since(row) {
      const minutes = Math.max(0, Math.floor((this.now + this.skew - row.since) / 60000));
      if (minutes < 1) return this.texts.just_now;
      if (minutes < 60) return this.texts.minutes.replace("{n}", minutes);
      return this.texts.hours.replace("{h}", Math.floor(minutes / 60)).replace("{m}", minutes % 60);
    },
  },
  template: `
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
            <div class="ac-muted text-xs">{{ since(row) }}</div>
          </div>
        </div>
      </q-card>
    </div>
  `,
};
