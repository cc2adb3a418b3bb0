import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { App } from "./app.tsx";
import "./styles/base.css";
import "./styles/search-and-result.css";
import "./styles/team-list.css";
import "./styles/calls.css";
import "./styles/live.css";
import "./styles/editor.css";

const root = document.getElementById("root");
if (!root) throw new Error('index.html must contain <div id="root">');

createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
