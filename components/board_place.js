// My place in line on a staff phone ("您排第 N 位"), worked out here from the line each board delta of the site's
// room carries (components/live_board.py): every visitor assigned moves everybody's place, at no cost per phone.
export default {
  props: {
    me: Number,
    line: Array, // staff ids in the order they take the next visitors
    v: Number, // the board version `line` is of
    texts: Object, // {first, nth: '… {n} …'}
  },
  data() {
    return { current: this.line, version: this.v };
  },
  mounted() {
    const newest = window.acBoardLine; // the board (board_rows.js) may have had a delta newer than this element
    if (newest && newest.v > this.version) {
      this.version = newest.v;
      this.current = newest.line;
    }
    this.listener = (message) => {
      if (message.v > this.version) {
        this.version = message.v;
        this.current = message.line;
      }
    };
    const listen = () => (window.socket ? window.socket.on("ac_board", this.listener) : setTimeout(listen, 10));
    listen(); // the page's socket is made once its elements are mounted
  },
  unmounted() {
    window.socket?.off("ac_board", this.listener);
  },
  computed: {
    place() {
      return this.current.indexOf(this.me) + 1;
    },
  },
  template: `
    <div v-if="place === 1" class="text-green-800 font-semibold">{{ texts.first }}</div>
    <div v-else-if="place > 1" class="text-base">{{ texts.nth.replace("{n}", place) }}</div>
    <div v-else></div>
  `,
};
