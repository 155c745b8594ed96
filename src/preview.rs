//! The Studio's live preview: the real widget, showing a survey definition inside a page
//! element instead of the corner, interactive, and sending nothing (submit shows the
//! thank-you; close starts again). The Studio (`console/`) depends on this crate for it, so
//! marketers see exactly what customers will see.

use std::sync::Arc;

use model::{Definition, Locale, Transaction};
use web_sys::{Element, HtmlElement};

use crate::host;
use crate::state::Controller;
use crate::widget::{self, Target, Widget};

/// A preview mounted in a container. It stays while this value lives.
pub struct Preview {
    ctl: Controller,
    mount: HtmlElement,
    _widget: Widget,
}

impl Preview {
    /// Shows `survey` in `locale` inside `container` (in its own shadow root, so neither the
    /// page's styles nor the widget's leak across). `large_text` overrides the survey's
    /// large-text setting. `None` if the browser lacks shadow DOM or constructable stylesheets.
    ///
    /// Call it once, under a component's owner, not inside an effect that runs again: a re-run
    /// disposes what the effect created, the preview's own render effect included, and
    /// [`Preview::set`] would then change nothing on screen. Change the preview with `set`.
    pub fn mount(
        container: &Element,
        survey: Definition,
        locale: Locale,
        large_text: bool,
    ) -> Option<Preview> {
        let mount = host::create_shadow_mount(Some(container))?;
        let _ = mount.set_attribute("data-inline", "");
        let ctl = Controller::new(Arc::new(survey.clone()));
        let widget = widget::mount(&mount, ctl, Target::Preview);
        ctl.begin(
            Transaction {
                id: "preview".into(),
                kind: "preview".into(),
                unit: "preview".into(),
            }
            .into(),
            locale,
        );
        let preview = Preview {
            ctl,
            mount,
            _widget: widget,
        };
        preview.set(survey, locale, large_text);
        Some(preview)
    }

    /// Shows another version of the survey, or another language or text size. What the
    /// preview's "customer" has answered stays, as far as the new version still asks it.
    pub fn set(&self, mut survey: Definition, locale: Locale, large_text: bool) {
        survey.display.large_text = large_text;
        let style = self.mount.style();
        match &survey.display.accent {
            Some(accent) => host::apply_accent(&self.mount, accent),
            None => {
                let _ = style.remove_property("--sw-accent");
                let _ = style.remove_property("--sw-on-accent");
            }
        }
        self.ctl.update(|s| {
            s.locale = survey.locale_for(locale);
            s.survey = Arc::new(survey);
            s.open = true;
        });
    }
}
