// A row of tappable chips drawn by the phone, one element for the whole row: the record dialog has six rows of them,
// and as one server element per chip (NiceGUI's ui.chip) building them was a fifth of the server's work on an
// opening day, when every reception ends in the dialog (bench.signin --hold 1, profiled).
export default {
  props: {
    options: Array, // [{value, label}]
    selected: Array, // the values chosen
    multiple: Boolean,
    color: String,
  },
  data() {
    return { picked: [...(this.selected || [])] };
  },
  watch: {
    selected(values) {
      this.picked = [...(values || [])];
    },
  },
  methods: {
    toggle(value, on) {
      const others = this.picked.filter((v) => v !== value);
      this.picked = on ? (this.multiple ? [...others, value] : [value]) : others;
      this.$emit("change", this.picked);
    },
  },
  template: `
    <div class="row gap-1 w-full">
      <q-chip v-for="o in options" :key="o.value" :label="o.label" :color="color" :data-value="o.value"
        :selected="picked.includes(o.value)" @update:selected="(on) => toggle(o.value, on)" />
    </div>
  `,
};
